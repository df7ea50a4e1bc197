/**
 * `ccag.rate_limit_decisions.total{outcome="allowed"|"blocked"}`: every rate-limit decision, so a
 * dashboard can show the share allowed beside `ccag.rate_limits.total` (the refusals, by whose
 * limit). Requests no rate limit applies to are not decisions and are not counted. The hot path
 * pays one integer increment (no attribute object, no SDK call); the SDK reads the two totals at
 * each collection through an observable counter, with attribute sets made once.
 */
import type { Meter } from '@opentelemetry/api';

const ALLOWED = Object.freeze({ outcome: 'allowed' });
const BLOCKED = Object.freeze({ outcome: 'blocked' });

export class RateLimitDecisions {
  private allowed = 0;
  private blocked = 0;

  constructor(meter: Meter) {
    meter
      .createObservableCounter('ccag.rate_limit_decisions.total', { description: 'Rate-limit decisions by outcome (allowed or blocked), for requests a rate limit applies to.' })
      .addCallback((result) => {
        result.observe(this.allowed, ALLOWED);
        result.observe(this.blocked, BLOCKED);
      });
  }

  readonly count = (allowed: boolean): void => {
    if (allowed) this.allowed++;
    else this.blocked++;
  };
}
