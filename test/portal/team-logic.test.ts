import { expect, test } from 'vitest';
import { teamDeletion } from '../../portal/src/features/teams/team-logic.js';

test('an empty team can be deleted', () => {
  const deletion = teamDeletion({ name: 'Platform', member_count: 0, key_count: 0 });
  expect(deletion.possible).toBe(true);
  expect(deletion.text).toContain('cannot be undone');
});

test('a team with members or keys says what to move first, as the API will refuse it', () => {
  expect(teamDeletion({ name: 'Platform', member_count: 3, key_count: 1 })).toEqual({
    possible: false,
    text: 'Only an empty team can be deleted, and Platform still has 3 members and 1 active key. First move its members to another team (or to no team) on the Users page, and revoke the keys that belong to it on the Keys page.',
  });
  expect(teamDeletion({ name: 'Data', member_count: 1, key_count: 0 }).text).toBe(
    'Only an empty team can be deleted, and Data still has 1 member. First move its members to another team (or to no team) on the Users page.',
  );
  expect(teamDeletion({ name: 'Ops', member_count: 0, key_count: 2 }).text).toBe('Only an empty team can be deleted, and Ops still has 2 active keys. First revoke the keys that belong to it on the Keys page.');
});
