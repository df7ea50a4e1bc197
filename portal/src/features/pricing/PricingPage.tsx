/**
 * Pricing: the price table every request is billed from (USD per million tokens), filtered by
 * source, exported as CSV, refreshed from the AWS Price List, with rows added or edited by hand.
 * How a model finds its price is explained below the table.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { listFetcher } from '../../api/client.js';
import type { PricingRow } from '../../api/types.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { formatDate } from '../../lib/format.js';
import { useAwsRefresh } from './AwsRefresh.js';
import { formatPrice, tierText } from './price-form.js';
import { PriceDialog } from './PriceDialog.js';

const PRICING_QUERY = ['admin', 'pricing'] as const;

const SOURCES: Record<PricingRow['source'], string> = {
  seed: 'Published prices shipped with CCAG',
  aws: 'From the AWS price list',
  manual: 'Set by an admin; never overwritten',
};

const isSource = (value: string | null): value is PricingRow['source'] => value !== null && value in SOURCES;

export default function PricingPage() {
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<{ row?: PricingRow }>();
  const [search, setSearch] = useSearchParams();
  const sourceParam = search.get('source');
  const source = isSource(sourceParam) ? sourceParam : undefined;
  const reloadPrices = () => void queryClient.invalidateQueries({ queryKey: PRICING_QUERY });
  const awsRefresh = useAwsRefresh(reloadPrices);

  const chooseSource = (value: string) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set('source', value);
      else next.delete('source');
      next.delete('page');
      return next;
    });

  const columns: Column<PricingRow>[] = [
    {
      header: 'Model Prefix',
      sort: 'model_prefix',
      render: (row) => (
        <>
          <span className="mono price-prefix">{row.model_prefix}</span>
          {tierText(row) ? <span className="muted cell-note cell-note-wrap">{tierText(row)}</span> : null}
          {row.note ? <span className="muted cell-note cell-note-wrap">{row.note}</span> : null}
        </>
      ),
      csv: (row) => row.model_prefix,
    },
    { header: 'Input $/MTok', sort: 'input', align: 'right', render: (row) => formatPrice(row.input), csv: (row) => row.input },
    { header: 'Output $/MTok', sort: 'output', align: 'right', render: (row) => formatPrice(row.output), csv: (row) => row.output },
    { header: 'Cache Read $/MTok', align: 'right', render: (row) => formatPrice(row.cache_read), csv: (row) => row.cache_read },
    {
      header: 'Cache Write $/MTok',
      align: 'right',
      render: (row) => (
        <>
          {formatPrice(row.cache_write_5m)}
          <span className="muted cell-note">1 h: {formatPrice(row.cache_write_1h)}</span>
        </>
      ),
      csv: (row) => row.cache_write_5m,
    },
    // The table shows these as notes under the prefix and price; a spreadsheet wants each in its own column.
    { header: 'Cache Write 1h $/MTok', csvOnly: true, render: () => null, csv: (row) => row.cache_write_1h },
    { header: 'Tier Threshold (tokens)', csvOnly: true, render: () => null, csv: (row) => row.tier_threshold },
    { header: 'Tier Input $/MTok', csvOnly: true, render: () => null, csv: (row) => row.tier_input },
    { header: 'Tier Output $/MTok', csvOnly: true, render: () => null, csv: (row) => row.tier_output },
    { header: 'Tier Cache Read $/MTok', csvOnly: true, render: () => null, csv: (row) => row.tier_cache_read },
    { header: 'Tier Cache Write $/MTok', csvOnly: true, render: () => null, csv: (row) => row.tier_cache_write_5m },
    { header: 'Tier Cache Write 1h $/MTok', csvOnly: true, render: () => null, csv: (row) => row.tier_cache_write_1h },
    { header: 'Note', csvOnly: true, render: () => null, csv: (row) => row.note },
    { header: 'Source', sort: 'source', render: (row) => <span className="badge" title={SOURCES[row.source]}>{row.source}</span>, csv: (row) => row.source },
    { header: 'Updated', sort: 'updated_at', render: (row) => formatDate(row.updated_at), csv: (row) => row.updated_at },
    {
      header: 'Actions',
      align: 'right',
      render: (row) => (
        <div className="row-actions">
          <button type="button" className="button button-small" aria-label={`Edit ${row.model_prefix}`} onClick={() => setDialog({ row })}>
            Edit
          </button>
        </div>
      ),
    },
  ];

  const addButton = (
    <button type="button" className="button button-primary" onClick={() => setDialog({})}>
      Add price
    </button>
  );

  return (
    <>
      <PageHeader
        title="Pricing"
        description="What each model costs in USD per million tokens (MTok). Every request is priced from this table when it is recorded."
        actions={
          <>
            {awsRefresh.button}
            {addButton}
          </>
        }
      />
      {awsRefresh.notice}
      {dialog ? <PriceDialog row={dialog.row} onClose={() => setDialog(undefined)} onSaved={reloadPrices} /> : null}
      <DataTable<PricingRow>
        label="Pricing"
        queryKey={[...PRICING_QUERY, source]}
        fetchPage={listFetcher<PricingRow>('/admin/pricing', { source })}
        columns={columns}
        rowKey={(row) => row.model_prefix}
        defaultSort={{ sort: 'model_prefix', order: 'asc' }}
        searchLabel="Search model prefix"
        toolbar={
          <label className="toolbar-field">
            Source{' '}
            <select value={source ?? ''} onChange={(event) => chooseSource(event.target.value)}>
              <option value="">All</option>
              {Object.keys(SOURCES).map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        }
        empty={
          source ? (
            <EmptyState title={`No ${source} prices.`}>Choose another source to see the rest.</EmptyState>
          ) : (
            <EmptyState title="No prices yet." action={addButton}>
              Until a model has a price its requests are recorded as unknown and flagged. Refresh from AWS to pull the latest Bedrock prices, or add entries by
              hand here or with <code>ccag pricing set</code>.
            </EmptyState>
          )
        }
      />
      <Section id="pricing-rules" title="How a model finds its price">
        <ul className="rules">
          <li>
            The longest matching prefix wins, on a model boundary: <code>claude-sonnet-4-5</code> prices <code>claude-sonnet-4-5-20250929</code> and{' '}
            <code>…-v1:0</code>, but <code>claude-mythos-5</code> does not price <code>claude-mythos-5-2</code>.
          </li>
          <li>A model with no matching price is recorded as unknown and flagged in the ledger, never silently free.</li>
          <li>Cache Write shows the 5-minute price, with the 1-hour price below it. Prices left empty are unknown, not zero.</li>
          <li>
            Refresh from AWS reads the AWS Price List for the gateway's region: Bedrock ids (<code>anthropic.…</code>, geo profiles such as{' '}
            <code>us.anthropic.…</code>, and <code>global.anthropic.…</code>) get source aws. A price AWS does not list keeps its value. It also runs once a day while
            a Bedrock endpoint is configured.
          </li>
          <li>Rows you add or edit become manual: seed updates on upgrade and refreshes from AWS never overwrite them.</li>
        </ul>
      </Section>
    </>
  );
}
