/** Where the browser goes after signing in: only a path on this gateway. */
import { expect, test } from 'vitest';
import { safeReturnTo } from '../../../src/identity/sso/auth.routes.js';

test('relative paths are kept with their query and fragment', () => {
  expect(safeReturnTo('/oauth/device?user_code=BCDF-GHJK')).toBe('/oauth/device?user_code=BCDF-GHJK');
  expect(safeReturnTo('/portal/keys#new')).toBe('/portal/keys#new');
  expect(safeReturnTo('/a/../b')).toBe('/b');
});

test('anything that could leave the origin falls back to /', () => {
  for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', 'relative', '', '/\t/evil.example', undefined, ['/a']]) {
    expect(safeReturnTo(target)).toBe('/');
  }
});
