/**
 * SCIM list filters (RFC 7644 §3.4.2.2), parsed and evaluated by scim2-parse-filter against the
 * SCIM representation of each resource. Attribute names already compare case-insensitively there;
 * string values here do too, as RFC 7643 makes userName, emails and displayName caseExact=false
 * (Okta checks `userName eq "Jane@Example.com"` before creating a user). Only ids keep exact case.
 */
import { parse, Tester, type Filter } from 'scim2-parse-filter';
import { withoutCoreSchema } from './schemas.js';
import { ScimError } from './scim-errors.js';

const CASE_EXACT = new Set(['id', 'externalid']);
const STRING_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew']);

/** The attribute's own name, without a schema URN prefix or sub-attribute path. */
function attributeName(path: string): string {
  const bare = path.slice(path.lastIndexOf(':') + 1);
  return bare.toLowerCase();
}

class CaseInsensitiveTester extends Tester {
  /** `urn:…:core:2.0:User:userName` is `userName`; the parser would look for a URN-named property. */
  override attrPath(path: string): string[] {
    return super.attrPath(withoutCoreSchema(path));
  }

  override test(resource: unknown, filter: Filter): boolean {
    if (STRING_OPS.has(filter.op) && 'compValue' in filter && typeof filter.compValue === 'string' && !CASE_EXACT.has(attributeName(filter.attrPath))) {
      const wanted = filter.compValue.toLowerCase();
      const op = filter.op as 'eq' | 'ne' | 'co' | 'sw' | 'ew';
      return this.attrTest(this.attrPath(filter.attrPath), resource, (value: unknown) =>
        this[op](typeof value === 'string' ? value.toLowerCase() : value, wanted),
      );
    }
    return super.test(resource, filter);
  }
}

/** A predicate for `filter`, or one that keeps everything when there is no filter. */
export function compileFilter(text: string | undefined): (resource: object) => boolean {
  if (text === undefined || text.trim() === '') return () => true;
  let parsed: Filter;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new ScimError(400, `cannot parse filter ${JSON.stringify(text)}: ${(error as Error).message}`, 'invalidFilter');
  }
  const tester = new CaseInsensitiveTester();
  return (resource) => tester.test(resource, parsed);
}
