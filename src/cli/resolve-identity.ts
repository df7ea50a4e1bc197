/**
 * Turning `<id|email>` and `<id|name>` into users and teams, like resolve.ts does for keys and
 * endpoints: an exact id always wins; emails compare case-insensitively (the gateway lower-cases
 * them); a team name must match exactly, or case-insensitively when that is unambiguous.
 */
import type { TeamRecord, UserRecord } from './admin-types.js';
import { CliError } from './errors.js';

export function findUser(users: readonly UserRecord[], reference: string): UserRecord {
  const wanted = reference.trim().toLowerCase();
  const user = users.find((candidate) => candidate.id === reference) ?? users.find((candidate) => candidate.email === wanted);
  if (!user) throw new CliError(`no user has the id or email "${reference}"; see "ccag users list"`);
  return user;
}

export function findTeam(teams: readonly TeamRecord[], reference: string): TeamRecord {
  const exact = teams.find((team) => team.id === reference) ?? teams.find((team) => team.name === reference);
  if (exact) return exact;
  const folded = teams.filter((team) => team.name.toLowerCase() === reference.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  if (folded.length > 1) throw new CliError(`"${reference}" matches ${folded.length} teams by name; give the id`);
  throw new CliError(`no team has the id or name "${reference}"; see "ccag teams list"`);
}
