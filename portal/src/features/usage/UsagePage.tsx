/**
 * Usage: who spends what over a chosen range. Admins see every user, or switch to team totals;
 * members see their own row, their spend over time and their budget (the API scopes it). With the
 * Anthropic Admin API collector on, admins also see the ledger beside Anthropic's bill.
 */
import { useSession } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { Segmented } from '../../components/charts/Segmented.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { useSearchOption } from '../../lib/use-search-option.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { BudgetsSection } from '../dashboard/BudgetsSection.js';
import { AnthropicReconciliationSection } from './AnthropicReconciliationSection.js';
import { MySpendSection } from './MySpendSection.js';
import { TeamsTable } from './TeamsTable.js';
import { UsersTable } from './UsersTable.js';

type UsageView = 'users' | 'teams';

const VIEWS = [
  { value: 'users', label: 'By user' },
  { value: 'teams', label: 'By team' },
] as const satisfies readonly { value: UsageView; label: string }[];

export default function UsagePage() {
  const { isAdmin } = useSession();
  const timeRange = useTimeRange();
  const { range } = timeRange;
  const [chosen, setView] = useSearchOption<UsageView>('view', ['users', 'teams'], 'users');
  const view = isAdmin ? chosen : 'users';
  return (
    <>
      <PageHeader
        title="Usage"
        description={isAdmin ? 'Requests, tokens and spend per user or team over the chosen range.' : 'Your requests, tokens and spend over the chosen range.'}
        actions={<TimeRangePicker value={timeRange} />}
      />
      {isAdmin ? null : (
        <div className="grid grid-2">
          <MySpendSection range={range} />
          <BudgetsSection />
        </div>
      )}
      <Section
        id="usage"
        title={!isAdmin ? 'Your usage' : view === 'users' ? 'Usage by user' : 'Usage by team'}
        description={view === 'users' ? 'Avg $/req is spend divided by requests. Tokens include cache reads and writes.' : 'Requests from users without a team are under “No team”.'}
        actions={isAdmin ? <Segmented label="Show usage" options={VIEWS} value={view} onChange={setView} /> : undefined}
      >
        {view === 'users' ? <UsersTable range={range} isAdmin={isAdmin} /> : <TeamsTable range={range} />}
      </Section>
      {isAdmin ? <AnthropicReconciliationSection range={range} /> : null}
    </>
  );
}
