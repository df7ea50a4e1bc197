/**
 * The first admin: created on first start from ADMIN_USERNAME / ADMIN_PASSWORD, or with a
 * generated password that is returned so `serve` can print it once.
 */
import { generatePassword, hashPassword } from './passwords.js';
import type { UsersRepo } from './users.repo.js';

export async function ensureBootstrapAdmin(
  users: UsersRepo,
  options: { username: string; password?: string },
): Promise<{ created: false } | { created: true; username: string; generatedPassword?: string }> {
  if ((await users.countAdmins()) > 0) return { created: false };
  const password = options.password ?? generatePassword();
  try {
    await users.insert({ email: options.username, role: 'admin', passwordHash: await hashPassword(password) });
  } catch (error) {
    // Another replica bootstrapped first; its admin stands.
    if ((await users.countAdmins()) > 0) return { created: false };
    throw error;
  }
  return { created: true, username: options.username.toLowerCase(), ...(options.password ? {} : { generatedPassword: password }) };
}
