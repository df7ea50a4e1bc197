/** A member's own spend over the chosen range, one bar per bucket. */
import { Section } from '../../components/Section.js';
import type { TimeRange } from '../../lib/time-range.js';
import { CostChart } from '../dashboard/CostChart.js';

export function MySpendSection({ range }: { range: TimeRange }) {
  return (
    <Section id="my-spend" title="Your spend" description={`What your requests cost per ${range.granularity}.`}>
      <CostChart range={range} query={{ group_by: 'none' }} label={`Your spend per ${range.granularity}`} kind="bar" seriesName="Spend" />
    </Section>
  );
}
