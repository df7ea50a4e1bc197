/**
 * Admin sessions: password login, opaque bearer tokens stored hashed, logout. The TTL in force at
 * login is written into the session, so changing the setting only affects new tokens.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ApiError } from '../errors.js';
import type { Database } from '../store/schema.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSessionToken } from './tokens.js';
import type { User, UsersRepo } from './users.repo.js';

export interface SessionUser {
  readonly userId: string;
  readonly email: string;
  readonly role: 'admin' | 'member';
  /** When the credential stops working; null for admin API keys, which last until revoked. */
  readonly expiresAt: number | null;
}

// Verifying against a real hash when the account does not exist keeps unknown usernames as slow
// as wrong passwords, so timing does not reveal which accounts exist.
const decoyHash = hashPassword('ccag-decoy-password');

export function createSessionsService(deps: { db: Kysely<Database>; users: UsersRepo; throttle: LoginThrottle; ttlHours: () => number }) {
  const { db, users, throttle } = deps;

  const service = {
    async login(username: string, password: string, address: string): Promise<{ token: string; user: SessionUser & { expiresAt: number } }> {
      const account = username.trim().toLowerCase();
      const wait = throttle.retryAfter(account, address);
      if (wait > 0) {
        throw new ApiError('too_many_attempts', 'Too many failed login attempts; try again later.', { headers: { 'retry-after': String(wait) } });
      }
      const user = await users.findByEmail(account);
      const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
      if (!user || !ok || !user.password_hash || user.status !== 'active' || user.deleted_at !== null) {
        throttle.recordFailure(account, address);
        throw new ApiError('invalid_credentials', 'Invalid username or password.');
      }
      throttle.recordSuccess(account);
      return service.issue(user);
    },

    /** A new session for a user who proved who they are (password or single sign-on). */
    async issue(user: Pick<User, 'id' | 'email' | 'role'>): Promise<{ token: string; user: SessionUser & { expiresAt: number } }> {
      const { token, hash } = newSessionToken();
      const now = Date.now();
      const expiresAt = now + deps.ttlHours() * 3_600_000;
      await db
        .insertInto('sessions')
        .values({ id: randomUUID(), token_hash: hash, user_id: user.id, created_at: now, expires_at: expiresAt, revoked_at: null })
        .execute();
      return { token, user: { userId: user.id, email: user.email, role: user.role, expiresAt } };
    },

    async verify(token: string, now = Date.now()): Promise<SessionUser | undefined> {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.user_id', 'sessions.expires_at', 'sessions.revoked_at', 'users.email', 'users.role', 'users.status'])
        .where('sessions.token_hash', '=', hashSecret(token))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || row.expires_at <= now || row.status !== 'active') return undefined;
      return { userId: row.user_id, email: row.email, role: row.role, expiresAt: row.expires_at };
    },

    async logout(token: string): Promise<void> {
      await db.updateTable('sessions').set({ revoked_at: Date.now() }).where('token_hash', '=', hashSecret(token)).execute();
    },

    /** Ends every live session of the user (admin-side revocation, deactivation, deletion); returns how many. */
    async revokeAllFor(userId: string): Promise<number> {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: Date.now() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
  return service;
}

export type SessionsService = ReturnType<typeof createSessionsService>;
