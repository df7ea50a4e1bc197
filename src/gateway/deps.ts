import type { Logger } from 'pino';
import type { Authenticator } from '../identity/authenticator.js';
import type { Gate } from '../limits/governor.js';
import type { Router } from '../routing/router.js';
import type { PricingService } from '../spend/pricing.service.js';
import type { Settler } from '../spend/settlement.js';
import type { Store } from '../store/database.js';
import type { LiveEndpoint } from '../routing/endpoint-pool.js';
import type { InFlight } from './in-flight.js';
import type { ModelPolicy } from './pipeline/check-policy.js';
import type { UpstreamFailureReporter } from './upstream-failure.js';
import type { WebSearchGateway } from '../websearch/web-search-gateway.js';

/** What the data plane needs from the other areas, injected by the composition root. */
export interface GatewayDeps {
  readonly authenticator: Authenticator;
  /** Rate limits and budgets: admits, holds and settles each proxied request. */
  readonly governor: Gate;
  /** For the worst-case cost a budget reserves. */
  readonly pricing: Pick<PricingService, 'costFor'>;
  readonly router: Router;
  /** Meters and settles each billed request (ledger, admission, observers). */
  readonly settler: Settler;
  /** The live endpoints, for /health/deep. */
  readonly endpoints: () => readonly LiveEndpoint[];
  readonly store: Pick<Store, 'ping'>;
  readonly inFlight: InFlight;
  readonly log: Logger;
  readonly maxBodyBytes: number;
  /** How long, from arrival, a request may keep failing over to another endpoint. */
  readonly failoverDeadlineMs: number;
  /** CCAG_CLIENT_STALL_TIMEOUT_MS: how long a client may stop reading a response before it is disconnected. */
  readonly clientStallTimeoutMs: number;
  /** Called with every upstream failure that settles no ledger row (unreachable, count_tokens). */
  readonly onUpstreamFailure?: UpstreamFailureReporter;
  /** Called with each parsed body's model and size (the body size histogram). */
  readonly onRequestBody?: (model: string, bytes: number) => void;
  /** Called with each upstream reply's headers, before any is dropped (upstream rate-limit utilization). */
  readonly onUpstreamReply?: (endpointId: string, headers: Readonly<Record<string, string>>) => void;
  /** Runs the web search loop for Bedrock requests carrying the web_search server tool (src/websearch/). */
  readonly webSearch?: WebSearchGateway;
  /** Fleet policies: model allowlists, and the settings checksum each session reports (drift). */
  readonly policy?: ModelPolicy;
  /** The request `tags` key naming the billing group; `billing_group` unless configured. */
  readonly billingGroupTagKey?: string;
}
