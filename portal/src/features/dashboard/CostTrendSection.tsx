/**
 * Cost over time, stacked by model, team or user (admins choose; a member's spend is their own,
 * so by model). The API ranks groups by cost and merges those past the top eight into "Other".
 */
import { Section } from '../../components/Section.js';
import { Segmented } from '../../components/charts/Segmented.js';
import type { TimeRange } from '../../lib/time-range.js';
import { useSearchOption } from '../../lib/use-search-option.js';
import { CostChart } from './CostChart.js';
import type { GroupBy } from './types.js';

const GROUPS = [
  { value: 'model', label: 'Model' },
  { value: 'team', label: 'Team' },
  { value: 'user', label: 'User' },
] as const satisfies readonly { value: GroupBy; label: string }[];

type CostGroup = (typeof GROUPS)[number]['value'];

export function CostTrendSection({ range, isAdmin }: { range: TimeRange; isAdmin: boolean }) {
  const [chosen, setGroup] = useSearchOption<CostGroup>('group', ['model', 'team', 'user'], 'model');
  const group: CostGroup = isAdmin ? chosen : 'model';
  return (
    <Section
      id="cost-trend"
      title="Cost trend"
      description={isAdmin ? 'Spend over time, stacked by the largest eight groups; the rest are “Other”.' : 'Your spend over time by model.'}
      actions={isAdmin ? <Segmented label="Group cost by" options={GROUPS} value={group} onChange={setGroup} /> : undefined}
    >
      <CostChart range={range} query={{ group_by: group, top: 8 }} label={`Cost by ${group} per ${range.granularity}`} kind="area" />
    </Section>
  );
}
