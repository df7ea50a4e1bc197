/**
 * "Refresh from AWS": the button (disabled while a refresh runs) and what the page shows about it —
 * the result of the run just made, its error in the page's error style, or else the last run the
 * gateway remembers.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client.js';
import type { PricingRefreshResult, PricingRefreshStatus } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAction } from '../../lib/use-action.js';
import { lastRefreshText, refreshResultText } from './refresh-text.js';

const LAST_REFRESH_QUERY = ['admin', 'pricing-refresh'] as const;

/** `onRefreshed` runs after a successful refresh (to reload the table). */
export function useAwsRefresh(onRefreshed: () => void): { button: ReactNode; notice: ReactNode } {
  const queryClient = useQueryClient();
  const { busy, error, run } = useAction();
  const [result, setResult] = useState<PricingRefreshResult>();
  const last = useQuery({ queryKey: LAST_REFRESH_QUERY, queryFn: () => api.get<PricingRefreshStatus | null>('/admin/pricing/refresh') });

  const refresh = () =>
    void run(async () => {
      setResult(undefined);
      try {
        setResult(await api.post<PricingRefreshResult>('/admin/pricing/refresh'));
        onRefreshed();
      } finally {
        void queryClient.invalidateQueries({ queryKey: LAST_REFRESH_QUERY });
      }
    });

  const button = (
    <button type="button" className="button" disabled={busy} onClick={refresh} title="Pull Bedrock prices from the AWS Price List; rows set by hand are kept">
      {busy ? 'Refreshing…' : 'Refresh from AWS'}
    </button>
  );

  const previous = lastRefreshText(last.data);
  const notice = error ? (
    <ErrorMessage error={error} title="Could not refresh from AWS" />
  ) : result ? (
    <p className="notice notice-ok" role="status">
      {refreshResultText(result)}
    </p>
  ) : previous ? (
    <p className={previous.ok ? 'muted' : 'notice notice-warn'} role="status">
      {previous.text}
    </p>
  ) : null;

  return { button, notice };
}
