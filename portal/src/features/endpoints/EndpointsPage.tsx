/**
 * Endpoints: the pool's health now, statistics per endpoint over a chosen range, the configured
 * endpoints with their controls, team routing, and what an operator needs to set endpoints up:
 * credentials, IAM permissions and how routing meets Bedrock's prompt cache.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { AddEndpointDialog } from './AddEndpointDialog.js';
import { ConfiguredEndpoints } from './ConfiguredEndpoints.js';
import { EndpointGuide } from './EndpointGuide.js';
import { PoolHealth } from './PoolHealth.js';
import { RoutingSection } from './RoutingSection.js';
import { StatsTable } from './StatsTable.js';

export default function EndpointsPage() {
  const queryClient = useQueryClient();
  const timeRange = useTimeRange();
  const [adding, setAdding] = useState(false);
  const addButton = (
    <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
      Add endpoint
    </button>
  );
  return (
    <>
      <PageHeader title="Endpoints" description="The upstreams Claude Code's requests go to: Amazon Bedrock runtimes and the Anthropic API." actions={addButton} />
      <AddEndpointDialog open={adding} onClose={() => setAdding(false)} onAdded={() => void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'admin' && String(query.queryKey[1]).startsWith('endpoint') })} />
      <Section id="health" title="Pool health" description="Each endpoint's state on the replica answering, refreshed every 10 seconds. A throttled endpoint cools down for the upstream's retry-after while requests fail over to the next one.">
        <PoolHealth />
      </Section>
      <Section id="statistics" title="Statistics by endpoint" actions={<TimeRangePicker value={timeRange} />}>
        <StatsTable range={timeRange.range} />
      </Section>
      <Section id="configured" title="Configured endpoints">
        <ConfiguredEndpoints onAdd={() => setAdding(true)} />
      </Section>
      <Section id="routing" title="Routing" description="Which endpoints each team's requests go to, in which order, and how one is picked. Teams without their own routing use the default.">
        <RoutingSection />
      </Section>
      <EndpointGuide />
    </>
  );
}
