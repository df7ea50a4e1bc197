/**
 * Regression: two refreshes of a table mirror (a poll and an announced change) ran at once, and
 * the older read could be applied after the newer one, so a key revoked on another replica was
 * briefly accepted again. Refreshes now run one at a time.
 */
import { expect, test } from 'vitest';
import { TableMirror } from '../../src/store/table-mirror.js';

interface Row {
  id: string;
  status: 'active' | 'revoked';
  updated_at: number;
}

class StatusMirror extends TableMirror<Row> {
  readonly status = new Map<string, Row['status']>();
  apply(row: Row): void {
    this.status.set(row.id, row.status);
  }
}

test('issue 13: a refresh started during another one reads after it, so an older read never lands last', async () => {
  const reads: Array<(rows: Row[]) => void> = [];
  const mirror = new StatusMirror(() => new Promise((resolve) => reads.push(resolve)), (row) => row.updated_at);
  const first = mirror.refresh();
  const second = mirror.refresh();
  await new Promise((resolve) => setImmediate(resolve));
  // Only the first read is in flight; the second waits for it.
  expect(reads).toHaveLength(1);
  reads[0]!([{ id: 'k1', status: 'active', updated_at: 1 }]);
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  expect(reads).toHaveLength(2);
  reads[1]!([{ id: 'k1', status: 'revoked', updated_at: 2 }]);
  await second;
  expect(mirror.status.get('k1')).toBe('revoked');
});
