import type { Logger } from 'pino';
import type { Authenticator } from '../identity/authenticator.js';
import type { Gate } from '../limits/governor.js';
import type { EndpointPool } from '../routing/endpoint-pool.js';
import type { LedgerWriter } from '../spend/ledger-writer.js';
import type { PricingService } from '../spend/pricing.service.js';
import type { Store } from '../store/database.js';
import type { SpendLedgerTable } from '../store/schema.js';
import type { InFlight } from './in-flight.js';
import type { UpstreamFailureReporter } from './upstream-failure.js';

/** What the data plane needs from the other areas, injected by the composition root. */
export interface GatewayDeps {
  readonly authenticator: Authenticator;
  /** Rate limits and budgets: admits, holds and settles each proxied request. */
  readonly governor: Gate;
  readonly pool: EndpointPool;
  readonly pricing: Pick<PricingService, 'costFor'>;
  readonly ledger: Pick<LedgerWriter, 'record'>;
  readonly store: Pick<Store, 'ping'>;
  readonly inFlight: InFlight;
  readonly log: Logger;
  readonly maxBodyBytes: number;
  /** Called with every settled request (request log line, later metrics). */
  readonly onSettled?: (row: SpendLedgerTable) => void;
  /** Called with every upstream failure (the `upstream error` log line and its count). */
  readonly onUpstreamFailure?: UpstreamFailureReporter;
  /** Called with each parsed /v1/messages body's model and size (the body size histogram). */
  readonly onRequestBody?: (model: string, bytes: number) => void;
  /** Called with each upstream reply's headers, before any is dropped (upstream rate-limit utilization). */
  readonly onUpstreamReply?: (endpointId: string, headers: Readonly<Record<string, string>>) => void;
}
