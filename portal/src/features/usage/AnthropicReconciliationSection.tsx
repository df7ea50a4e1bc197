/**
 * Ledger vs Anthropic (admins): per UTC day, what the gateway's ledger recorded on Anthropic API
 * endpoints beside what Anthropic's cost report bills. Shown only when the gateway reads the
 * Anthropic Admin API (ANTHROPIC_ADMIN_API_KEY); otherwise the API says `configured: false` and
 * the page leaves the section out rather than show an empty table.
 */
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Section } from '../../components/Section.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatPercent, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { AnthropicReconciliationView, ReconciledDay } from './types.js';

const COLUMNS: SimpleColumn<ReconciledDay>[] = [
  { header: 'Day (UTC)', render: (row) => row.day, rowHeader: true },
  { header: 'Ledger', align: 'right', render: (row) => formatUsd(row.ledger_usd) },
  { header: 'Anthropic', align: 'right', render: (row) => formatUsd(row.anthropic_usd) },
  { header: 'Difference', align: 'right', render: (row) => formatUsd(row.difference_usd) },
  { header: 'Difference %', align: 'right', render: (row) => formatPercent(row.difference_percent, { fromPercent: true, digits: 2 }) },
];

export function AnthropicReconciliationSection({ range }: { range: TimeRange }) {
  const answer = useAnalytics<AnthropicReconciliationView>('/admin/analytics/anthropic-reconciliation', range);
  if (answer.data && !answer.data.configured) return null;
  const total = answer.data?.total;
  return (
    <Section
      id="anthropic-reconciliation"
      title="Ledger vs Anthropic"
      description={
        total
          ? `Over these days Anthropic billed ${formatUsd(total.anthropic_usd)} and the ledger recorded ${formatUsd(total.ledger_usd)} on Anthropic endpoints. A positive difference is spend that bypassed the gateway or a price set too low; today's figure grows as Anthropic's report catches up.`
          : 'What the ledger recorded on Anthropic endpoints beside what Anthropic billed, per UTC day.'
      }
    >
      {answer.isPending ? <Loading label="Reading Anthropic's cost report" /> : null}
      <ErrorMessage error={answer.error} title="Could not compare with Anthropic" />
      {answer.data ? <SimpleTable label="Ledger vs Anthropic per day" columns={COLUMNS} rows={answer.data.days} rowKey={(row) => row.day} /> : null}
    </Section>
  );
}
