/**
 * SCIM list filters and pages over SCIM resources: the operators IdPs use, case rules, and
 * 1-based pagination with totalResults counting every match.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/identity/scim/filter.js';
import { listPage } from '../../../src/identity/scim/list-query.js';
import { ScimError } from '../../../src/identity/scim/scim-errors.js';

const users = [
  { id: 'A1', userName: 'ada@example.com', displayName: 'Ada Lovelace', active: true, externalId: 'okta-1', emails: [{ value: 'ada@example.com', type: 'work' }] },
  { id: 'b2', userName: 'grace@corp.example.org', displayName: 'Grace Hopper', active: false, externalId: 'OKTA-2', emails: [{ value: 'grace@corp.example.org', type: 'work' }] },
  { id: 'c3', userName: 'alan@example.com', active: true, emails: [{ value: 'alan@example.com', type: 'work' }] },
];

const matching = (filter: string) => users.filter(compileFilter(filter)).map((user) => user.id);

describe('SCIM filters', () => {
  it('compares userName case-insensitively, as Okta looks users up', () => {
    expect(matching('userName eq "Ada@Example.COM"')).toEqual(['A1']);
    expect(matching('USERNAME eq "grace@corp.example.org"')).toEqual(['b2']);
  });

  it('supports co, sw, pr, and, or, and emails value paths', () => {
    expect(matching('userName co "example.com"')).toEqual(['A1', 'c3']);
    expect(matching('userName sw "GR"')).toEqual(['b2']);
    expect(matching('displayName pr')).toEqual(['A1', 'b2']);
    expect(matching('active eq true and userName sw "a"')).toEqual(['A1', 'c3']);
    expect(matching('userName eq "alan@example.com" or displayName co "hopper"')).toEqual(['b2', 'c3']);
    expect(matching('emails[type eq "work" and value co "corp"]')).toEqual(['b2']);
  });

  it('keeps ids and externalId case-exact', () => {
    expect(matching('externalId eq "okta-2"')).toEqual([]);
    expect(matching('externalId eq "OKTA-2"')).toEqual(['b2']);
    expect(matching('id eq "a1"')).toEqual([]);
  });

  it('regression: an attribute qualified with the core schema URN (RFC 7644 §3.10) is the attribute itself', () => {
    expect(matching('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ADA@example.com"')).toEqual(['A1']);
    expect(matching('urn:ietf:params:scim:schemas:core:2.0:User:displayName pr')).toEqual(['A1', 'b2']);
    expect(matching('urn:ietf:params:scim:schemas:core:2.0:User:id eq "A1"')).toEqual(['A1']);
  });

  it('refuses an unparseable filter with invalidFilter', () => {
    for (const filter of ['userName eq', 'userName xx "a"', '(userName eq "a"']) {
      let caught: unknown;
      try {
        compileFilter(filter);
      } catch (error) {
        caught = error;
      }
      expect(caught, filter).toBeInstanceOf(ScimError);
      expect(caught).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
  });

  it('keeps everything without a filter', () => {
    expect(users.filter(compileFilter(undefined))).toHaveLength(3);
  });
});

describe('SCIM list pages', () => {
  const many = Array.from({ length: 7 }, (_, i) => ({ id: `u${i + 1}`, userName: `user${i + 1}@example.com` }));

  it('pages with a 1-based startIndex and counts every match', () => {
    expect(listPage(many, { startIndex: '3', count: '2' })).toMatchObject({ totalResults: 7, itemsPerPage: 2, startIndex: 3, Resources: [{ id: 'u3' }, { id: 'u4' }] });
    expect(listPage(many, { startIndex: '7', count: '5' })).toMatchObject({ totalResults: 7, itemsPerPage: 1, Resources: [{ id: 'u7' }] });
    expect(listPage(many, { count: '0' })).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
    expect(listPage(many, { startIndex: '0' })).toMatchObject({ startIndex: 1, itemsPerPage: 7 });
    expect(listPage(many, { filter: 'userName sw "user1"' })).toMatchObject({ totalResults: 1, Resources: [{ id: 'u1' }] });
  });

  it('refuses a non-numeric count', () => {
    expect(() => listPage(many, { count: 'ten' })).toThrow(ScimError);
  });
});
