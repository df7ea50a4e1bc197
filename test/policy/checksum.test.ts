import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { canonicalJson, etagOf, ifNoneMatchHits, settingsChecksum, settingsUuid } from '../../src/policy/checksum.js';

const NESTED = {
  permissions: { deny: ['Read(./.env)', 'WebFetch'], allow: ['Bash(npm run test:*)'] },
  env: { ZETA: 'ü', ALPHA: '日本語 ✓', CLAUDE_CODE_ENABLE_TELEMETRY: '1' },
  cleanupPeriodDays: 14,
  feedbackSurveyRate: 0.25,
  big: 12345678901234,
  negative: -3,
  nothing: null,
  companyAnnouncements: ['Welcome', { b: 2, a: [1, { d: true, c: false }] }],
  'Ärger': 'umlaut key',
  apiKeyHelper: 'echo "quoted" \\ backslash',
};

// Written by hand from the rule (keys sorted by code unit at every depth, no whitespace): an
// independent statement of what the canonical form is.
const EXPECTED_CANONICAL =
  '{"apiKeyHelper":"echo \\"quoted\\" \\\\ backslash","big":12345678901234,"cleanupPeriodDays":14,' +
  '"companyAnnouncements":["Welcome",{"a":[1,{"c":false,"d":true}],"b":2}],' +
  '"env":{"ALPHA":"日本語 ✓","CLAUDE_CODE_ENABLE_TELEMETRY":"1","ZETA":"ü"},"feedbackSurveyRate":0.25,"negative":-3,"nothing":null,' +
  '"permissions":{"allow":["Bash(npm run test:*)"],"deny":["Read(./.env)","WebFetch"]},"Ärger":"umlaut key"}';

describe('managed settings checksum', () => {
  test('canonical JSON sorts keys at every level, keeps arrays in order, and has no whitespace', () => {
    expect(canonicalJson(NESTED)).toBe(EXPECTED_CANONICAL);
  });

  test('is sha256: + hex SHA-256 of the UTF-8 canonical form, whatever order the keys were given in', () => {
    const expected = `sha256:${createHash('sha256').update(Buffer.from(EXPECTED_CANONICAL, 'utf8')).digest('hex')}`;
    expect(settingsChecksum(NESTED)).toBe(expected);
    const reversed = Object.fromEntries(Object.entries(NESTED).reverse());
    expect(settingsChecksum(reversed)).toBe(expected);
  });

  test('agrees with Python json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)', () => {
    let python: string;
    try {
      python = execFileSync(
        'python3',
        ['-c', 'import sys,json,hashlib; d=json.load(sys.stdin); print("sha256:"+hashlib.sha256(json.dumps(d,sort_keys=True,separators=(",",":"),ensure_ascii=False).encode("utf-8")).hexdigest())'],
        { input: JSON.stringify(NESTED) },
      ).toString().trim();
    } catch {
      // No Python on this machine: the hand-written canonical form above still pins the rule.
      return;
    }
    expect(settingsChecksum(NESTED)).toBe(python);
  });

  test('different content, different checksum; the uuid follows the checksum and is RFC 4122 shaped', () => {
    const a = settingsChecksum({ env: { A: '1' } });
    const b = settingsChecksum({ env: { A: '2' } });
    expect(a).not.toBe(b);
    expect(settingsUuid(a)).toBe(settingsUuid(a));
    expect(settingsUuid(a)).not.toBe(settingsUuid(b));
    expect(settingsUuid(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the ETag is the checksum quoted; If-None-Match matches quoted, weak, listed, bare and *', () => {
    const checksum = settingsChecksum({});
    expect(etagOf(checksum)).toBe(`"${checksum}"`);
    expect(ifNoneMatchHits(`"${checksum}"`, checksum)).toBe(true);
    expect(ifNoneMatchHits(`W/"${checksum}"`, checksum)).toBe(true);
    expect(ifNoneMatchHits(`"sha256:other", "${checksum}"`, checksum)).toBe(true);
    expect(ifNoneMatchHits(checksum, checksum)).toBe(true);
    expect(ifNoneMatchHits('*', checksum)).toBe(true);
    expect(ifNoneMatchHits('"sha256:other"', checksum)).toBe(false);
    expect(ifNoneMatchHits(undefined, checksum)).toBe(false);
  });
});
