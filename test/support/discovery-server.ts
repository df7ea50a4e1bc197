/**
 * The smallest OIDC issuer there is: it only publishes a discovery document (and an empty JWKS),
 * for tests that need an identity provider row to exist but never sign anyone in through it.
 * Sign-in tests use the real identity provider in oidc-idp.ts instead.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DiscoveryServer {
  readonly issuer: string;
  close(): Promise<void>;
}

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  const server = createServer((request, response) => {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url === '/.well-known/openid-configuration') {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
      return;
    }
    if (request.url === '/jwks') {
      response.setHeader('content-type', 'application/json');
      response.end('{"keys":[]}');
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
