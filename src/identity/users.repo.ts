import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../store/schema.js';

export type User = Selectable<UsersTable>;

export function createUsersRepo(db: Kysely<Database>) {
  return {
    findByEmail(email: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },

    findById(id: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    countAdmins(): Promise<number> {
      return db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n));
    },

    async insert(fields: { email: string; role: User['role']; passwordHash?: string | null; displayName?: string | null }): Promise<User> {
      const now = Date.now();
      const user: User = {
        id: randomUUID(),
        email: fields.email.toLowerCase(),
        display_name: fields.displayName ?? null,
        role: fields.role,
        status: 'active',
        team_id: null,
        password_hash: fields.passwordHash ?? null,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('users').values(user).execute();
      return user;
    },

    /** The user with this email, created as an active member when new (key owners by email). */
    async ensureMember(email: string): Promise<User> {
      const existing = await this.findByEmail(email);
      if (existing) return existing;
      try {
        return await this.insert({ email, role: 'member' });
      } catch (error) {
        // Two admins creating keys for a new user at once: the unique email decides, read the winner.
        const winner = await this.findByEmail(email);
        if (winner) return winner;
        throw error;
      }
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
