/**
 * How SCIM PATCH bodies from Okta and Entra ID are read: the exact shapes those clients send.
 */
import { describe, expect, it } from 'vitest';
import { interpretGroupPatch, interpretUserPatch, interpretUserResource, PATCH_OP_SCHEMA } from '../../../src/identity/scim/patch.js';
import { ScimError } from '../../../src/identity/scim/scim-errors.js';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('user PATCH', () => {
  it("reads Okta's deactivation: replace without a path, value object", () => {
    expect(interpretUserPatch(patch({ op: 'replace', value: { active: false } }))).toEqual({ active: false });
  });

  it('reads a replace with a path and a JSON boolean', () => {
    expect(interpretUserPatch(patch({ op: 'replace', path: 'active', value: true }))).toEqual({ active: true });
  });

  it("reads Entra ID's capitalised ops and string booleans", () => {
    expect(interpretUserPatch(patch({ op: 'Replace', path: 'active', value: 'False' }))).toEqual({ active: false });
    expect(interpretUserPatch(patch({ op: 'Replace', path: 'active', value: 'True' }))).toEqual({ active: true });
  });

  it("reads Entra ID's email filter path, name parts, displayName, externalId and userName", () => {
    const changes = interpretUserPatch(
      patch(
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'new@example.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Ada' },
        { op: 'Replace', path: 'name.familyName', value: 'Lovelace' },
        { op: 'Replace', path: 'displayName', value: 'Ada L.' },
        { op: 'Add', path: 'externalId', value: 'ext-1' },
        { op: 'Replace', path: 'userName', value: 'Ada@Example.com' },
      ),
    );
    expect(changes).toEqual({ email: 'new@example.com', givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada L.', externalId: 'ext-1', userName: 'Ada@Example.com' });
  });

  it('reads dotted keys and nested objects inside a value object, and a schema-qualified path', () => {
    expect(interpretUserPatch(patch({ op: 'replace', value: { 'name.givenName': 'Grace', name: { familyName: 'Hopper' }, active: 'true' } }))).toEqual({
      givenName: 'Grace',
      familyName: 'Hopper',
      active: true,
    });
    expect(interpretUserPatch(patch({ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'G' }))).toEqual({ displayName: 'G' });
  });

  it('clears with remove and ignores attributes CCAG does not keep', () => {
    expect(interpretUserPatch(patch({ op: 'remove', path: 'externalId' }, { op: 'Replace', path: 'title', value: 'CTO' }))).toEqual({ externalId: null });
  });

  it('refuses malformed bodies with the right scimType', () => {
    expect(scimError(() => interpretUserPatch({ Operations: [] }))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(scimError(() => interpretUserPatch(patch({ op: 'move', path: 'active', value: true })))).toMatchObject({ scimType: 'invalidSyntax' });
    expect(scimError(() => interpretUserPatch(patch({ op: 'replace', path: 'active', value: 'maybe' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(scimError(() => interpretUserPatch(patch({ op: 'remove' })))).toMatchObject({ scimType: 'noTarget' });
  });

  it('reads a whole User body, picking the primary email', () => {
    expect(
      interpretUserResource({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'jane',
        name: { givenName: 'Jane', familyName: 'Doe' },
        emails: [{ value: 'other@example.com', type: 'home' }, { value: 'jane@example.com', type: 'work', primary: true }],
        active: true,
        externalId: '00u1',
      }),
    ).toEqual({ userName: 'jane', givenName: 'Jane', familyName: 'Doe', email: 'jane@example.com', active: true, externalId: '00u1' });
  });
});

describe('group PATCH', () => {
  it("reads Okta's add, remove with a value list, and rename without a path", () => {
    expect(
      interpretGroupPatch(
        patch(
          { op: 'add', path: 'members', value: [{ value: 'u1', display: 'a@x' }, { value: 'u2' }] },
          { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
          { op: 'replace', value: { id: 'g1', displayName: 'Engineers' } },
        ),
      ),
    ).toEqual({ displayName: 'Engineers', members: [{ kind: 'add', userIds: ['u1', 'u2'] }, { kind: 'remove', userIds: ['u1'] }] });
  });

  it("reads Entra ID's remove by filter path and capitalised ops", () => {
    expect(
      interpretGroupPatch(
        patch({ op: 'Remove', path: 'members[value eq "2819c223-7f76-453a-919d-413861904646"]' }, { op: 'Add', path: 'members', value: [{ value: 'u3' }] }),
      ),
    ).toEqual({ members: [{ kind: 'remove', userIds: ['2819c223-7f76-453a-919d-413861904646'] }, { kind: 'add', userIds: ['u3'] }] });
    expect(interpretGroupPatch(patch({ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }))).toEqual({
      members: [{ kind: 'remove', userIds: ['a', 'b'] }],
    });
  });

  it('reads replace of members and of displayName with a path, and remove of all members', () => {
    expect(interpretGroupPatch(patch({ op: 'Replace', path: 'displayName', value: 'Ops' }, { op: 'replace', path: 'members', value: [{ value: 'u9' }] }))).toEqual({
      displayName: 'Ops',
      members: [{ kind: 'replace', userIds: ['u9'] }],
    });
    expect(interpretGroupPatch(patch({ op: 'remove', path: 'members' }))).toEqual({ members: [{ kind: 'replace', userIds: [] }] });
  });

  it('refuses members without ids and unsupported member filters', () => {
    expect(scimError(() => interpretGroupPatch(patch({ op: 'add', path: 'members', value: [{ display: 'x' }] })))).toMatchObject({ scimType: 'invalidValue' });
    expect(scimError(() => interpretGroupPatch(patch({ op: 'remove', path: 'members[display eq "x"]' })))).toMatchObject({ scimType: 'invalidPath' });
  });

  it('regression: a member path that does not parse is a 400 invalidPath, not a 500', () => {
    for (const path of ['members[value eq', 'members[', 'members[value eq "a" or]']) {
      expect(scimError(() => interpretGroupPatch(patch({ op: 'remove', path }))), path).toMatchObject({ status: 400, scimType: 'invalidPath' });
    }
  });
});
