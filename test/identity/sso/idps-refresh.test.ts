/**
 * Regression: the identity providers' mirror read the rows, then the version. A change landing
 * between the two was recorded as loaded without being read, so that replica missed it for good
 * (until some later change). With changes announced to every replica at once (docs/replicas.md),
 * a refresh racing the write is the common case. The version is now read first.
 */
import { describe, expect, test } from 'vitest';
import { createSecretBox } from '../../../src/config/secret-box.js';
import { createIdpsRepo } from '../../../src/identity/sso/idps.repo.js';
import { createIdpsService } from '../../../src/identity/sso/idps.service.js';
import { createTestDatabase, databaseKinds } from '../../support/databases.js';

describe.each(databaseKinds)('identity providers mirror (%s)', (kind) => {
  test('issue 13: a provider created while another replica refreshes reaches it on its next refresh', async (ctx) => {
    const database = await createTestDatabase(kind);
    if (!database) return ctx.skip();
    const store = await database.open();
    try {
      const box = createSecretBox(Buffer.alloc(32, 7));
      const checkDiscovery = async () => {};
      const writer = createIdpsService({ repo: createIdpsRepo(store.db), box, checkDiscovery });
      const repo = createIdpsRepo(store.db);
      let duringRead: (() => Promise<unknown>) | undefined;
      // The replica's reads, with a write from another replica landing right after the rows are read.
      const replica = createIdpsService({
        repo: {
          ...repo,
          async list() {
            const rows = await repo.list();
            const write = duringRead;
            duringRead = undefined;
            await write?.();
            return rows;
          },
        },
        box,
        checkDiscovery,
      });
      await writer.create({ name: 'okta', issuer: 'https://okta.example.com', clientId: 'ccag' });
      duringRead = () => writer.create({ name: 'entra', issuer: 'https://login.example.com/tenant/v2.0', clientId: 'ccag' });
      await replica.refresh();
      expect(replica.byName('okta')).toBeDefined();
      await replica.refresh();
      expect(replica.byName('entra')).toBeDefined();
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
