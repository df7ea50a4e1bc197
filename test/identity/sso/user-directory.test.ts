/**
 * The in-memory user directory (src/identity/user-directory.ts) the IdP JWT path reads per
 * request: it follows writes made through this process at once and others' by polling.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { identityServices } from './identity-services.js';

describe.each(['sqlite', 'postgres'] as const)('user directory (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let services: Awaited<ReturnType<typeof identityServices>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    services = await identityServices(store);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('writes through the users service are visible at once, by id and by lowercase email', async (ctx) => {
    if (!database) return ctx.skip();
    const user = await services.users.create({ email: 'Dir@Example.com' });
    expect(services.directory.byEmail('DIR@example.com')).toMatchObject({ id: user.id, status: 'active', hasPassword: false });
    await services.users.deactivate(user.id);
    expect(services.directory.byId(user.id)?.status).toBe('deactivated');
  });

  test('a write made elsewhere arrives with the next refresh; a deleted user leaves', async (ctx) => {
    if (!database) return ctx.skip();
    const user = await services.users.create({ email: 'elsewhere@example.com' });
    await store.db.updateTable('users').set({ status: 'deactivated', updated_at: Date.now() }).where('id', '=', user.id).execute();
    expect(services.directory.byId(user.id)?.status).toBe('active');
    await services.directory.refresh();
    expect(services.directory.byId(user.id)?.status).toBe('deactivated');

    await services.users.delete(user.id);
    expect(services.directory.byId(user.id)).toBeUndefined();
    expect(services.directory.byEmail('elsewhere@example.com')).toBeUndefined();
  });

  test('an older row never overwrites a newer one', async (ctx) => {
    if (!database) return ctx.skip();
    const user = await services.users.create({ email: 'order@example.com' });
    const row = (await services.usersRepo.findById(user.id))!;
    services.directory.apply({ ...row, status: 'deactivated', updated_at: row.updated_at + 10 });
    services.directory.apply(row);
    expect(services.directory.byId(user.id)?.status).toBe('deactivated');
  });
});
