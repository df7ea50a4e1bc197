/**
 * Teams: a name, members (users.team_id) and team-owned keys (api_keys.team_id). A team is only
 * deleted when empty, so no live user or key is left pointing at a team that no longer exists;
 * spend rows keep their team id either way.
 */
import { ApiError } from '../errors.js';
import type { PageRequest } from '../store/paging.js';
import type { TeamSort, TeamWithCounts, TeamsRepo } from './teams.repo.js';

export function createTeamsService(deps: { teams: TeamsRepo }) {
  const { teams } = deps;

  // The unique name decides races between two admins; the pre-check only gives the nice message.
  async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
    const taken = () => new ApiError('conflict', `a team named "${name}" already exists`);
    if (await teams.findByName(name)) throw taken();
    try {
      return await write();
    } catch (error) {
      if (await teams.findByName(name)) throw taken();
      throw error;
    }
  }

  const service = {
    list: () => teams.list(),
    names: () => teams.names(),
    page: (request: PageRequest<TeamSort>) => teams.page(request),

    async get(id: string): Promise<TeamWithCounts> {
      const team = await teams.findById(id);
      if (!team) throw new ApiError('not_found', `no team with id ${id}`);
      return team;
    },

    /** For request fields that name a team: an unknown id is the caller's mistake (400), named by field. */
    async assertExists(id: string, field = 'team_id'): Promise<void> {
      if (!(await teams.findById(id))) throw new ApiError('invalid_request', `${field}: no team with id ${id}`);
    },

    async create(name: string): Promise<TeamWithCounts> {
      const team = await withUniqueName(name, () => teams.insert(name));
      return service.get(team.id);
    },

    async rename(id: string, name: string): Promise<TeamWithCounts> {
      const team = await service.get(id);
      if (team.name === name) return team;
      await withUniqueName(name, () => teams.rename(id, name));
      return service.get(id);
    },

    async delete(id: string): Promise<void> {
      if (await teams.deleteIfEmpty(id)) return;
      const team = await service.get(id);
      throw new ApiError(
        'conflict',
        `team "${team.name}" still has ${team.member_count} member(s) and ${team.key_count} active key(s); move the members to another team and revoke or reassign the keys first`,
      );
    },
  };
  return service;
}

export type TeamsService = ReturnType<typeof createTeamsService>;
