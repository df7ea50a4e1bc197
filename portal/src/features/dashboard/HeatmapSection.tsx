/** When the gateway is used: requests by hour of the week, in the viewer's own time zone. */
import { Section } from '../../components/Section.js';
import { HeatmapChart } from '../../components/charts/HeatmapChart.js';
import type { TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { Heatmap } from './types.js';

const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function HeatmapSection({ range }: { range: TimeRange }) {
  const tz = viewerZone();
  const heatmap = useAnalytics<Heatmap>('/admin/analytics/heatmap', range, { tz });
  return (
    <Section id="heatmap" title="Activity by hour of the week" description={`Requests per hour in your time zone (${tz}), over the chosen range.`}>
      <HeatmapChart cells={heatmap.data?.cells ?? []} timeZone={heatmap.data?.tz ?? tz} pending={heatmap.isPending} error={heatmap.error} />
    </Section>
  );
}
