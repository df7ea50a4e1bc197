/**
 * SCIM PATCH over generated operations: user ops in every spelling IdPs use read as the model's
 * last-writer-wins changes, group member ops applied in order give the model's membership, and
 * no body makes the reader fail with anything but a 400 ScimError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretGroupPatch, interpretUserPatch, interpretUserResource, PATCH_OP_SCHEMA, type MemberChange, type UserChanges } from '../../../src/identity/scim/patch.js';
import { ScimError } from '../../../src/identity/scim/scim-errors.js';
import { runs } from '../../support/property.js';

const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
const URN = 'urn:ietf:params:scim:schemas:core:2.0:User:';

/** The op and path as an IdP may spell them: any case, the schema URN in front or not. */
const spelled = (word: string) => fc.tuple(fc.constantFrom(word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)), fc.boolean()).map(([text, urn]) => (urn ? `${URN}${text}` : text));
const opName = (op: 'add' | 'replace' | 'remove') => fc.constantFrom(op, op.toUpperCase(), op[0]!.toUpperCase() + op.slice(1));

type UserOp =
  | { attribute: 'active'; remove: false; value: boolean; asString: boolean }
  | { attribute: 'active' | 'displayName' | 'externalId' | 'name.givenName' | 'name.familyName'; remove: true }
  | { attribute: 'userName' | 'displayName' | 'externalId' | 'name.givenName' | 'name.familyName'; remove: false; value: string };

const userOp: fc.Arbitrary<UserOp> = fc.oneof(
  fc.record({ attribute: fc.constant('active' as const), remove: fc.constant(false as const), value: fc.boolean(), asString: fc.boolean() }),
  fc.record({ attribute: fc.constantFrom('active' as const, 'displayName' as const, 'externalId' as const, 'name.givenName' as const, 'name.familyName' as const), remove: fc.constant(true as const) }),
  fc.record({ attribute: fc.constantFrom('userName' as const, 'displayName' as const, 'externalId' as const, 'name.givenName' as const, 'name.familyName' as const), remove: fc.constant(false as const), value: fc.string({ maxLength: 12 }) }),
);

/** One op on the wire: with a path, or (for add/replace) as a value object without one. */
function wire(op: UserOp): fc.Arbitrary<Record<string, unknown>> {
  const path = spelled(op.attribute);
  if (op.remove) return fc.record({ op: opName('remove'), path });
  const value = op.attribute === 'active' && op.asString ? (op.value ? 'True' : 'False') : op.value;
  const withoutPath = op.attribute.startsWith('name.') ? { name: { [op.attribute.slice(5)]: value } } : { [op.attribute]: value };
  return fc.oneof(
    fc.record({ op: fc.oneof(opName('add'), opName('replace')), path, value: fc.constant(value) }),
    fc.record({ op: fc.oneof(opName('add'), opName('replace')), value: fc.constant(withoutPath) }),
  );
}

const FIELD = { active: 'active', userName: 'userName', displayName: 'displayName', externalId: 'externalId', 'name.givenName': 'givenName', 'name.familyName': 'familyName' } as const;

/** The model: later operations on an attribute win; a removal clears it (false, null or ''). */
function expectedChanges(ops: readonly UserOp[]): UserChanges {
  const changes: Record<string, unknown> = {};
  for (const op of ops) {
    const field = FIELD[op.attribute];
    if (!op.remove) changes[field] = op.value;
    else changes[field] = op.attribute === 'active' ? false : op.attribute.startsWith('name.') ? '' : null;
  }
  return changes as UserChanges;
}

type MemberOp = { kind: 'add' | 'replace' | 'remove'; ids: string[]; form: 'path' | 'noPath' | 'filter' | 'empty' };
const ids = fc.array(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'), { maxLength: 4 });
const memberOp: fc.Arbitrary<MemberOp> = fc.oneof(
  fc.record({ kind: fc.constantFrom('add' as const, 'replace' as const), ids, form: fc.constantFrom('path' as const, 'noPath' as const) }),
  fc.record({ kind: fc.constant('remove' as const), ids, form: fc.constant('path' as const) }),
  fc.record({ kind: fc.constant('remove' as const), ids: ids.filter((list) => list.length > 0), form: fc.constant('filter' as const) }),
  fc.record({ kind: fc.constant('remove' as const), ids: fc.constant<string[]>([]), form: fc.constant('empty' as const) }),
);

function memberWire(op: MemberOp): Record<string, unknown> {
  const values = op.ids.map((value) => ({ value }));
  if (op.form === 'noPath') return { op: op.kind, value: { members: values } };
  if (op.form === 'filter') return { op: 'remove', path: `members[${op.ids.map((id) => `value eq "${id}"`).join(' or ')}]` };
  if (op.form === 'empty') return { op: 'remove', path: 'members' };
  return { op: op.kind, path: 'members', value: values };
}

function applyMembers(start: ReadonlySet<string>, changes: readonly MemberChange[]): Set<string> {
  const members = new Set(start);
  for (const change of changes) {
    if (change.kind === 'replace') members.clear();
    for (const id of change.userIds) change.kind === 'remove' ? members.delete(id) : members.add(id);
  }
  return members;
}

function modelMembers(start: ReadonlySet<string>, ops: readonly MemberOp[]): Set<string> {
  const members = new Set(start);
  for (const op of ops) {
    if (op.kind === 'replace' || op.form === 'empty') members.clear();
    for (const id of op.ids) op.kind === 'remove' ? members.delete(id) : members.add(id);
  }
  return members;
}

/** A 400 ScimError is the only failure a body may cause. */
function readsOrRefuses(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
  }
}

describe('SCIM PATCH, property-based', () => {
  it('user operations in any spelling read as the model: the last write to each attribute wins', () => {
    fc.assert(
      fc.property(fc.array(userOp, { minLength: 1, maxLength: 8 }).chain((ops) => fc.tuple(fc.constant(ops), fc.tuple(...ops.map(wire)))), ([ops, operations]) => {
        expect(interpretUserPatch(patch(operations))).toEqual(expectedChanges(ops));
      }),
      runs(200),
    );
  });

  it('group member operations, applied in order, give the model membership', () => {
    fc.assert(
      fc.property(fc.array(memberOp, { minLength: 1, maxLength: 8 }), ids, (ops, initial) => {
        const start = new Set(initial);
        const { members } = interpretGroupPatch(patch(ops.map(memberWire)));
        expect([...applyMembers(start, members)].sort()).toEqual([...modelMembers(start, ops)].sort());
      }),
      runs(200),
    );
  });

  it('no body makes a PATCH or a User resource fail with anything but a 400 ScimError', () => {
    const path = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('active', 'members', 'emails[type eq "work"].value', 'name', 'members[value eq "u1"]', 'members[', 'members[value eq', 'members[display eq "x"]', 'displayName', 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName'),
      fc.string({ maxLength: 20 }).map((tail) => `members[${tail}`),
    );
    const operation = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({ op: fc.oneof(fc.constantFrom('add', 'Replace', 'REMOVE', 'copy'), fc.jsonValue({ maxDepth: 1 })), path: fc.oneof(path, fc.jsonValue({ maxDepth: 1 })), value: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
      // Removals by path are where member filters get parsed.
      fc.record({ op: fc.constant('remove'), path }),
    );
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(operation, { maxLength: 5 }).map((operations) => ({ Operations: operations })));
    fc.assert(
      fc.property(body, (value) => {
        readsOrRefuses(() => interpretUserPatch(value));
        readsOrRefuses(() => interpretGroupPatch(value));
        readsOrRefuses(() => interpretUserResource(value));
      }),
      runs(200),
    );
  });
});
