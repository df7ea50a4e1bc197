/**
 * The CLI side of the gateway's OAuth device flow (RFC 8628) and refresh grant, as Claude Code
 * speaks it: endpoints from `/.well-known/oauth-authorization-server` when they are absolute URLs
 * on the gateway's own origin, else the standard paths. Answers are the token endpoint's JSON or
 * an `OAuthRefusal` carrying the RFC 6749 error code; network failures are `CliError`s.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { describeNetworkError } from './admin-client.js';
import { CliError } from './errors.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceAuthorization {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete?: string;
  readonly expires_in: number;
  readonly interval?: number;
}

export interface TokenSet {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly email?: string;
}

/** The authorization server said no; `error` is its RFC 6749 / RFC 8628 code. */
export class OAuthRefusal extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
    description: string | undefined,
  ) {
    super(description ? `${error}: ${description}` : error);
    this.name = 'OAuthRefusal';
  }
}

interface Endpoints {
  readonly device: string;
  readonly token: string;
  readonly revocation: string;
}

export class OAuthClient {
  private readonly dispatcher: Dispatcher = new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 1_000 });
  private endpoints: Endpoints | undefined;

  constructor(private readonly baseUrl: string) {}

  async authorizeDevice(clientName: string): Promise<DeviceAuthorization> {
    return this.post<DeviceAuthorization>((await this.discover()).device, { client_name: clientName });
  }

  async pollDevice(deviceCode: string): Promise<TokenSet> {
    return this.post<TokenSet>((await this.discover()).token, { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode });
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.post<TokenSet>((await this.discover()).token, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** RFC 7009: ends the grant behind the refresh token (the gateway answers 200 even if unknown). */
  async revoke(refreshToken: string): Promise<void> {
    await this.post<unknown>((await this.discover()).revocation, { token: refreshToken, token_type_hint: 'refresh_token' });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async discover(): Promise<Endpoints> {
    if (this.endpoints) return this.endpoints;
    const origin = new URL(this.baseUrl).origin;
    const fallback = { device: `${this.baseUrl}/oauth/device_authorization`, token: `${this.baseUrl}/oauth/token`, revocation: `${this.baseUrl}/oauth/revoke` };
    let metadata: Record<string, unknown> = {};
    try {
      const response = await request(`${this.baseUrl}/.well-known/oauth-authorization-server`, { dispatcher: this.dispatcher, headersTimeout: 30_000 });
      const text = await response.body.text();
      if (response.statusCode === 200) metadata = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof SyntaxError) metadata = {};
      else throw this.unreachable(error);
    }
    const sameOrigin = (value: unknown): string | undefined => {
      if (typeof value !== 'string') return undefined;
      try {
        return new URL(value).origin === origin ? value : undefined;
      } catch {
        return undefined;
      }
    };
    this.endpoints = {
      device: sameOrigin(metadata.device_authorization_endpoint) ?? fallback.device,
      token: sameOrigin(metadata.token_endpoint) ?? fallback.token,
      revocation: sameOrigin(metadata.revocation_endpoint) ?? fallback.revocation,
    };
    return this.endpoints;
  }

  private async post<T>(url: string, fields: Record<string, string>): Promise<T> {
    let status: number;
    let text: string;
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(fields).toString(),
        dispatcher: this.dispatcher,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    if (status === 200 && text === '') return undefined as T;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CliError(`POST ${new URL(url).pathname} answered HTTP ${status} with a body that is not JSON; is ${this.baseUrl} a CCAG gateway?`);
    }
    if (status === 200) return body as T;
    if (typeof body.error === 'string') throw new OAuthRefusal(body.error, status, typeof body.error_description === 'string' ? body.error_description : undefined);
    throw new CliError(`POST ${new URL(url).pathname} answered HTTP ${status}; is ${this.baseUrl} a CCAG gateway with single sign-on?`);
  }

  private unreachable(error: unknown): CliError {
    return new CliError(`cannot reach the gateway at ${this.baseUrl} (${describeNetworkError(error)}); check --url or $CCAG_URL`);
  }
}
