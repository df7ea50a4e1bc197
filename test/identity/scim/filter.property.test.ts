/**
 * SCIM list filters over generated and arbitrary text: any text either compiles or is a 400
 * `invalidFilter` (never another error, never one at evaluation), generated filters select what a
 * small model of RFC 7644 §3.4.2.2 selects, and any string value survives quoting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/identity/scim/filter.js';
import { listPage } from '../../../src/identity/scim/list-query.js';
import { ScimError } from '../../../src/identity/scim/scim-errors.js';
import { runs } from '../../support/property.js';

interface Resource {
  id: string;
  userName: string;
  displayName: string;
  name: { givenName: string };
}

type Leaf = { op: 'eq' | 'ne' | 'co' | 'sw' | 'ew'; attr: string; value: string } | { op: 'pr'; attr: string };
type Node = Leaf | { op: 'and' | 'or'; left: Node; right: Node } | { op: 'not'; inner: Node };

/** A tiny alphabet in both cases, so generated values often match, and case matters where it should. */
const word = fc.stringMatching(/^[abAB]{0,3}$/);
const resource: fc.Arbitrary<Resource> = fc.record({ id: word, userName: word, displayName: word, name: fc.record({ givenName: word }) });
const ATTRS = ['id', 'userName', 'displayName', 'name.givenName', 'USERNAME', 'urn:ietf:params:scim:schemas:core:2.0:User:userName'];

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ op: fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew'), attr: fc.constantFrom(...ATTRS), value: word }),
  fc.record({ op: fc.constant('pr'), attr: fc.constantFrom(...ATTRS) }),
) as fc.Arbitrary<Leaf>;
const filterTree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom('and', 'or'), left: tie('node'), right: tie('node') }),
    fc.record({ op: fc.constant('not'), inner: tie('node') }),
  ) as fc.Arbitrary<Node>,
})).node;

function text(node: Node): string {
  switch (node.op) {
    case 'and':
    case 'or':
      return `(${text(node.left)}) ${node.op} (${text(node.right)})`;
    case 'not':
      return `not (${text(node.inner)})`;
    case 'pr':
      return `${node.attr} pr`;
    default:
      return `${node.attr} ${node.op} ${JSON.stringify(node.value)}`;
  }
}

function attribute(item: Resource, attr: string): string {
  const name = attr.slice(attr.lastIndexOf(':') + 1).toLowerCase();
  if (name === 'name.givenname') return item.name.givenName;
  return name === 'id' ? item.id : name === 'username' ? item.userName : item.displayName;
}

/** The model: string values compare case-insensitively, except `id` (caseExact in RFC 7643). */
function holds(node: Node, item: Resource): boolean {
  switch (node.op) {
    case 'and':
      return holds(node.left, item) && holds(node.right, item);
    case 'or':
      return holds(node.left, item) || holds(node.right, item);
    case 'not':
      return !holds(node.inner, item);
    case 'pr':
      // The parser's reading: present when defined, even empty (RFC 7644 would say an empty string is absent).
      return true;
  }
  const exact = node.attr === 'id';
  const actual = exact ? attribute(item, node.attr) : attribute(item, node.attr).toLowerCase();
  const wanted = exact ? node.value : node.value.toLowerCase();
  if (node.op === 'eq') return actual === wanted;
  if (node.op === 'ne') return actual !== wanted;
  if (node.op === 'co') return actual.includes(wanted);
  if (node.op === 'sw') return actual.startsWith(wanted);
  return actual.endsWith(wanted);
}

describe('SCIM filters, property-based', () => {
  it('a generated filter selects exactly what the model selects', () => {
    fc.assert(
      fc.property(filterTree, fc.array(resource, { maxLength: 8 }), (tree, items) => {
        const matches = compileFilter(text(tree));
        expect(items.filter(matches)).toEqual(items.filter((item) => holds(tree, item)));
      }),
      runs(200),
    );
  });

  it('any string value survives quoting: eq finds it, in any case', () => {
    // Backslashes are read literally (only \" is an escape), so that IdPs sending an unescaped
    // `DOMAIN\user` are understood; values needing other JSON escapes are left out.
    const quotable = fc.string({ unit: 'binary', maxLength: 30 }).filter((value) => !/[\\\u0000-\u001f]/.test(value));
    fc.assert(
      fc.property(quotable, (value) => {
        // Case-insensitive is lower-casing both sides: characters that upper-case into several (ẖ → H̱) are not the same again.
        fc.pre(value.toUpperCase().toLowerCase() === value.toLowerCase());
        const item = { id: 'x', userName: value, displayName: '', name: { givenName: '' } };
        expect(compileFilter(`userName eq ${JSON.stringify(value.toUpperCase())}`)(item)).toBe(true);
        expect(compileFilter(`id eq ${JSON.stringify(value)}`)({ ...item, id: value })).toBe(true);
      }),
      runs(200),
    );
  });

  it('any text, page start and count: a page, or a 400 invalidFilter / invalidValue; never another error', () => {
    const scimText = fc.oneof(
      fc.string({ maxLength: 60 }),
      filterTree.map(text).chain((valid) => fc.tuple(fc.nat(valid.length), fc.nat(valid.length)).map(([from, to]) => valid.slice(Math.min(from, to), Math.max(from, to)))),
      fc.array(fc.constantFrom('userName', 'eq', 'and', 'or', 'not', '(', ')', '[', ']', '"a"', 'pr', 'emails', '.', 'value', ' ', 'gt', '1', 'true', 'null'), { maxLength: 12 }).map((parts) => parts.join(' ')),
    );
    const integerText = fc.option(fc.oneof(fc.integer({ min: -5, max: 500 }).map(String), fc.string({ maxLength: 5 })), { nil: undefined });
    fc.assert(
      fc.property(scimText, integerText, integerText, fc.array(resource, { maxLength: 4 }), (filter, startIndex, count, items) => {
        try {
          const page = listPage(items, { filter, startIndex, count });
          expect(page.totalResults).toBeLessThanOrEqual(items.length);
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
          expect((error as ScimError).status).toBe(400);
          expect(['invalidFilter', 'invalidValue']).toContain((error as ScimError).scimType);
        }
      }),
      runs(200),
    );
  });
});
