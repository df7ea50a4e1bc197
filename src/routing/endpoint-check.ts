/**
 * "Test connection" for an endpoint, saved or not: a throwaway upstream client runs three checks
 * (credentials, reachability, models), each timed, and the report says what failed in words an
 * operator can act on. The client is built and closed here; the live pool is never touched.
 */
import type { EndpointConfig, EndpointSecrets, Upstream } from '../upstreams/types.js';
import { classifyProbeFailure, redactSecrets } from './probe-failure.js';

export type CheckName = 'credentials' | 'reachability' | 'models';

export interface EndpointCheck {
  name: CheckName;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface EndpointCheckReport {
  ok: boolean;
  checks: EndpointCheck[];
}

export interface EndpointCheckDeps {
  /** Builds an upstream client with the pool's options. */
  createUpstream(config: EndpointConfig, secrets: EndpointSecrets): Promise<Upstream>;
  /** Bedrock: obtains the credentials (STS, default chain) and says how; rejects saying what failed. */
  checkBedrockCredentials?(config: Extract<EndpointConfig, { kind: 'bedrock' }>, secrets: EndpointSecrets): Promise<string>;
  /** Per check; a check past it fails with "no answer within …". */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

async function loadBedrockCredentialsCheck(config: Extract<EndpointConfig, { kind: 'bedrock' }>, secrets: EndpointSecrets): Promise<string> {
  // Loaded on demand like the Bedrock upstream itself: an Anthropic-only gateway never loads the AWS SDK.
  const { checkBedrockCredentials } = await import('../upstreams/bedrock/credentials-check.js');
  return checkBedrockCredentials(config, secrets);
}

/** Runs `step` with a deadline (aborting it); resolves with its value or the error, and how long it took. */
async function timed<T>(timeoutMs: number, step: (signal: AbortSignal) => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Some steps (credential providers) take no signal, so the deadline also races them.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    const value = await Promise.race([step(controller.signal), deadline]);
    return { ms: Math.round(performance.now() - started), value };
  } catch (error) {
    return { ms: Math.round(performance.now() - started), error };
  } finally {
    clearTimeout(timer);
  }
}

const skipped = (name: CheckName, why: string): EndpointCheck => ({ name, ok: false, ms: 0, detail: `not run: ${why}` });

export async function checkEndpoint(config: EndpointConfig, secrets: EndpointSecrets, deps: EndpointCheckDeps): Promise<EndpointCheckReport> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const report = (checks: EndpointCheck[]): EndpointCheckReport => ({
    ok: checks.every((check) => check.ok),
    checks: checks.map((check) => ({ ...check, detail: redactSecrets(check.detail, secrets) })),
  });
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

  // Bedrock credentials come from a separate step (STS, the default chain) that can fail on its own.
  let credentials: EndpointCheck | undefined;
  if (config.kind === 'bedrock') {
    const check = deps.checkBedrockCredentials ?? loadBedrockCredentialsCheck;
    const step = await timed(timeoutMs, () => check(config, secrets));
    credentials = { name: 'credentials', ok: !step.error, ms: step.ms, detail: step.error ? message(step.error) : (step.value ?? '') };
    if (!credentials.ok) return report([credentials, skipped('reachability', 'no credentials'), skipped('models', 'no credentials')]);
  }

  let upstream: Upstream;
  try {
    upstream = await deps.createUpstream(config, secrets);
  } catch (error) {
    return report([{ name: 'credentials', ok: false, ms: 0, detail: message(error) }, skipped('reachability', 'no client'), skipped('models', 'no client')]);
  }
  try {
    const health = await timed(timeoutMs, (signal) => upstream.checkHealth(signal));
    const answered = config.kind === 'bedrock' ? 'Bedrock answered ListInferenceProfiles' : 'the API answered GET /v1/models';
    if (health.error) {
      const failure = classifyProbeFailure(config, health.error);
      if (failure.stage === 'credentials') {
        return report([
          { name: 'credentials', ok: false, ms: credentials?.ms ?? health.ms, detail: failure.detail },
          { name: 'reachability', ok: true, ms: health.ms, detail: `the endpoint answered (${failure.answer})` },
          skipped('models', 'the credentials were refused'),
        ]);
      }
      return report([
        credentials ?? skipped('credentials', 'the endpoint could not be reached'),
        { name: 'reachability', ok: false, ms: health.ms, detail: failure.detail },
        skipped('models', 'the endpoint could not be reached'),
      ]);
    }
    const listed = await timed(timeoutMs, (signal) => upstream.listModels(signal));
    const models = listed.value ?? [];
    const modelsCheck: EndpointCheck = listed.error
      ? { name: 'models', ok: false, ms: listed.ms, detail: classifyProbeFailure(config, listed.error).detail }
      : { name: 'models', ok: models.length > 0, ms: listed.ms, detail: models.length > 0 ? `${models.length} models, e.g. ${models.slice(0, 3).map((m) => m.id).join(', ')}` : 'the endpoint offers no models' };
    return report([
      credentials ?? { name: 'credentials', ok: true, ms: health.ms, detail: 'the API key was accepted' },
      { name: 'reachability', ok: true, ms: health.ms, detail: answered },
      modelsCheck,
    ]);
  } finally {
    await upstream.close().catch(() => undefined);
  }
}
