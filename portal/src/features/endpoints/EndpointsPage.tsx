/**
 * Endpoints: traffic per endpoint over a chosen range, the configured endpoints (add, delete),
 * and what an operator needs to set them up: credentials, IAM permissions and how routing meets
 * Bedrock's prompt cache.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { AddEndpointDialog } from './AddEndpointDialog.js';
import { ConfiguredEndpoints, ENDPOINTS_QUERY } from './ConfiguredEndpoints.js';
import { EndpointGuide } from './EndpointGuide.js';
import { TrafficTable } from './TrafficTable.js';

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
      <AddEndpointDialog open={adding} onClose={() => setAdding(false)} onAdded={() => void queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY })} />
      <Section id="configured" title="Configured endpoints">
        <ConfiguredEndpoints onAdd={() => setAdding(true)} />
      </Section>
      <Section id="traffic" title="Traffic by endpoint" actions={<TimeRangePicker value={timeRange} />}>
        <TrafficTable range={timeRange.range} />
      </Section>
      <EndpointGuide />
    </>
  );
}
