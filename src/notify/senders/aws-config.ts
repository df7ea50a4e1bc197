/**
 * What the SNS and EventBridge clients share: region, credentials (the gateway's default AWS chain,
 * or the destination's own access key), an overridable endpoint (VPC endpoints, tests), and an
 * HTTP/1.1 handler with bounded timeouts. One SDK attempt: the outbox has its own retry schedule.
 */
import { guardedAgents, type OutboundGuard } from '../../config/outbound-guard.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DestinationSettings } from '../destination-config.js';

/** The whole of one attempt, connection included. */
export const AWS_REQUEST_TIMEOUT_MS = 10_000;

export function awsClientConfig(settings: DestinationSettings, secret: string | null, outbound: Pick<OutboundGuard, 'lookup'>) {
  return {
    region: settings.region!,
    maxAttempts: 1,
    // An overridden endpoint is the admin's URL, so it dials only addresses the SSRF guard allows;
    // AWS's own may resolve to a VPC endpoint's private address and are left alone.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 5_000,
      requestTimeout: AWS_REQUEST_TIMEOUT_MS,
      ...(settings.endpoint_url ? guardedAgents(outbound) : {}),
    }),
    ...(settings.endpoint_url ? { endpoint: settings.endpoint_url } : {}),
    // Without explicit credentials the SDK resolves its default chain (environment, profile, task or instance role).
    ...(settings.auth === 'static' ? { credentials: { accessKeyId: settings.access_key_id!, secretAccessKey: secret ?? '' } } : {}),
  };
}

/** An SDK failure as the history shows it: exception name, message, and the HTTP status if AWS answered. */
export function awsFailure(error: unknown): { httpStatus: number | null; error: string } {
  const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const httpStatus = failure.$metadata?.httpStatusCode ?? null;
  return { httpStatus, error: `${failure.name ?? 'Error'}: ${failure.message ?? String(error)}` };
}
