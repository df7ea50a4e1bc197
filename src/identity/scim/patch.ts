/**
 * What a SCIM PATCH (RFC 7644 §3.5.2) asks for, read from the forms Okta and Entra ID actually
 * send: ops in any case ("Replace"), a path or a value object without one, dotted keys inside value
 * objects ("name.givenName"), `emails[type eq "work"].value`, and booleans as strings ("False").
 * Pure: the resources apply the result. Attributes CCAG does not keep (title, addresses, manager)
 * are ignored rather than refused, so an IdP's full mapping does not fail every update.
 */
import { parse } from 'scim2-parse-filter';
import { withoutCoreSchema } from './schemas.js';
import { invalidSyntax, invalidValue, ScimError } from './scim-errors.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Op = 'add' | 'replace' | 'remove';

interface Operation {
  readonly op: Op;
  readonly path: string | undefined;
  readonly value: unknown;
}

export interface UserChanges {
  userName?: string;
  active?: boolean;
  displayName?: string | null;
  givenName?: string;
  familyName?: string;
  formatted?: string;
  externalId?: string | null;
  email?: string;
}

export type MemberChange = { readonly kind: 'add' | 'remove' | 'replace'; readonly userIds: readonly string[] };

export interface GroupChanges {
  displayName?: string;
  externalId?: string | null;
  /** In request order: a replace followed by an add must end with both sets' members. */
  members: MemberChange[];
}

function operations(body: unknown): Operation[] {
  const list = (body as { Operations?: unknown } | null)?.Operations;
  if (!Array.isArray(list) || list.length === 0) throw invalidSyntax('a PATCH body needs a non-empty "Operations" array');
  return list.map((raw: unknown) => {
    const { op, path, value } = (raw ?? {}) as { op?: unknown; path?: unknown; value?: unknown };
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name !== 'add' && name !== 'replace' && name !== 'remove') throw invalidSyntax(`unsupported PATCH op ${JSON.stringify(op)}`);
    if (path !== undefined && typeof path !== 'string') throw invalidSyntax('a PATCH path must be a string');
    return { op: name, path: path?.trim() || undefined, value };
  });
}

/** Entra ID sends "True"/"False"; Okta sends JSON booleans. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`${attribute} must be true or false`);
}

function scimString(value: unknown, attribute: string): string {
  if (typeof value === 'string') return value;
  throw invalidValue(`${attribute} must be a string`);
}

/** The address an `emails` value carries: the primary one, else the work one, else the first. */
export function pickEmail(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const entries = (Array.isArray(value) ? value : [value]).filter((entry): entry is { value: unknown; primary?: unknown; type?: unknown } =>
    typeof entry === 'object' && entry !== null && 'value' in entry,
  );
  const chosen = entries.find((entry) => entry.primary === true || entry.primary === 'True') ?? entries.find((entry) => entry.type === 'work') ?? entries[0];
  return typeof chosen?.value === 'string' ? chosen.value : undefined;
}

/** Strips the core User/Group schema URN some clients put in front of attribute paths. */
function bare(path: string): string {
  return withoutCoreSchema(path).toLowerCase();
}

function setUserAttribute(changes: UserChanges, op: Op, path: string, value: unknown): void {
  const attribute = bare(path);
  const removing = op === 'remove';
  if (attribute === 'active') changes.active = removing ? false : scimBoolean(value, 'active');
  else if (attribute === 'username') changes.userName = scimString(value, 'userName');
  else if (attribute === 'displayname') changes.displayName = removing ? null : scimString(value, 'displayName');
  else if (attribute === 'externalid') changes.externalId = removing ? null : scimString(value, 'externalId');
  else if (attribute === 'name.givenname') changes.givenName = removing ? '' : scimString(value, 'name.givenName');
  else if (attribute === 'name.familyname') changes.familyName = removing ? '' : scimString(value, 'name.familyName');
  else if (attribute === 'name.formatted') changes.formatted = removing ? '' : scimString(value, 'name.formatted');
  else if (attribute === 'name' && !removing) {
    for (const [key, part] of Object.entries(objectValue(value, 'name'))) setUserAttribute(changes, op, `name.${key}`, part);
  } else if (/^emails(\[[^\]]*\])?(\.value)?$/.test(attribute) && !removing) {
    const email = pickEmail(value);
    if (email !== undefined) changes.email = email;
  }
}

function objectValue(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidValue(`${what} needs an object value`);
  return value as Record<string, unknown>;
}

export function interpretUserPatch(body: unknown): UserChanges {
  const changes: UserChanges = {};
  for (const { op, path, value } of operations(body)) {
    if (path !== undefined) setUserAttribute(changes, op, path, value);
    else if (op === 'remove') throw new ScimError(400, 'a remove operation needs a path', 'noTarget');
    else for (const [key, part] of Object.entries(objectValue(value, `a ${op} without a path`))) setUserAttribute(changes, op, key, part);
  }
  return changes;
}

/** A full User body (POST, PUT) read as one replace of every attribute it carries. */
export function interpretUserResource(body: unknown): UserChanges {
  const changes: UserChanges = {};
  for (const [key, part] of Object.entries(objectValue(body, 'a User'))) setUserAttribute(changes, 'replace', key, part);
  return changes;
}

/** Member ids from `[{value}]` (or one `{value}`), the shape every client sends. */
export function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  return entries.map((entry) => {
    const id = (entry as { value?: unknown } | null)?.value;
    if (typeof id !== 'string') throw invalidValue('each member needs a string "value" (the user id)');
    return id;
  });
}

/** The ids in `members[value eq "a"]` or `members[value eq "a" or value eq "b"]`. */
function idsInMemberFilter(path: string): string[] {
  let filter: ReturnType<typeof parse>;
  try {
    filter = parse(path);
  } catch (error) {
    // The parser's own errors are plain Errors: unread, they would answer 500 instead of 400.
    throw new ScimError(400, `cannot parse path ${JSON.stringify(path)}: ${(error as Error).message}`, 'invalidPath');
  }
  if (filter.op !== '[]') throw new ScimError(400, `unsupported path ${path}`, 'invalidPath');
  const ids: string[] = [];
  const collect = (node: typeof filter.valFilter): void => {
    if (node.op === 'or') node.filters.forEach(collect);
    else if (node.op === 'eq' && node.attrPath.toLowerCase() === 'value' && typeof node.compValue === 'string') ids.push(node.compValue);
    else throw new ScimError(400, `unsupported member filter in ${path}`, 'invalidPath');
  };
  collect(filter.valFilter);
  return ids;
}

function setGroupAttribute(changes: GroupChanges, op: Op, path: string, value: unknown): void {
  const attribute = bare(path);
  if (attribute === 'displayname') {
    if (op === 'remove') throw new ScimError(400, 'displayName is required', 'mutability');
    changes.displayName = scimString(value, 'displayName');
  } else if (attribute === 'externalid') {
    changes.externalId = op === 'remove' ? null : scimString(value, 'externalId');
  } else if (attribute === 'members') {
    // Okta removes with a value list; without one, a remove empties the group.
    if (op === 'remove') changes.members.push(value === undefined ? { kind: 'replace', userIds: [] } : { kind: 'remove', userIds: memberIds(value) });
    else changes.members.push({ kind: op === 'add' ? 'add' : 'replace', userIds: memberIds(value) });
  } else if (attribute.startsWith('members[')) {
    if (op !== 'remove') throw new ScimError(400, `only remove is supported on ${path}`, 'invalidPath');
    changes.members.push({ kind: 'remove', userIds: idsInMemberFilter(path) });
  }
  // `id` inside Okta's value objects, and anything else a group does not keep, changes nothing.
}

export function interpretGroupPatch(body: unknown): GroupChanges {
  const changes: GroupChanges = { members: [] };
  for (const { op, path, value } of operations(body)) {
    if (path !== undefined) setGroupAttribute(changes, op, path, value);
    else if (op === 'remove') throw new ScimError(400, 'a remove operation needs a path', 'noTarget');
    else for (const [key, part] of Object.entries(objectValue(value, `a ${op} without a path`))) setGroupAttribute(changes, op, key, part);
  }
  return changes;
}
