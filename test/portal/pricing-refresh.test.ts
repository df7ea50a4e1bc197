import { describe, expect, it } from 'vitest';
import { lastRefreshText, refreshCounts, refreshResultText } from '../../portal/src/features/pricing/refresh-text.js';

describe('Refresh from AWS texts', () => {
  it('says what the refresh did, in the singular where it is one', () => {
    expect(refreshCounts({ updated: 20, added: 6, skipped_manual: 1 })).toBe('20 rows updated, 6 added, 1 manual row kept');
    expect(refreshCounts({ updated: 1, added: 0, skipped_manual: 0 })).toBe('1 row updated, 0 added, 0 manual rows kept');
    expect(refreshResultText({ updated: 20, added: 6, skipped_manual: 1, models: 4, region: 'us-east-1', fetched_at: '2027-01-15T09:30:00.000Z' }, 'UTC')).toBe(
      'Refreshed 4 models from the AWS Price List (us-east-1) at 2027-01-15 09:30: 20 rows updated, 6 added, 1 manual row kept.',
    );
  });

  it('shows the last run, its failure as such, and nothing before the first', () => {
    expect(lastRefreshText(null)).toBeUndefined();
    expect(lastRefreshText({ at: '2027-01-15T09:30:00.000Z', ok: true, error: null, updated: 26, added: 0, skipped_manual: 1, models: 4 }, 'Europe/Berlin')).toEqual({
      ok: true,
      text: 'Last refreshed from AWS at 2027-01-15 10:30: 26 rows updated, 0 added, 1 manual row kept.',
    });
    expect(lastRefreshText({ at: '2027-01-15T09:30:00.000Z', ok: false, error: 'AWS denied pricing:GetProducts.', updated: 0, added: 0, skipped_manual: 0, models: 0 }, 'UTC')).toEqual({
      ok: false,
      text: 'The last refresh from AWS, at 2027-01-15 09:30, failed: AWS denied pricing:GetProducts.',
    });
  });
});
