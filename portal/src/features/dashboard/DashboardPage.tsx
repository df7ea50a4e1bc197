/**
 * Dashboard: the gateway's spend and traffic over a chosen range (admins: everyone's; members:
 * their own, which the API scopes). One time range, kept in the address bar, drives every chart
 * and table; the forecast always covers this month.
 */
import { useSession } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { BudgetsSection } from './BudgetsSection.js';
import { CostTrendSection } from './CostTrendSection.js';
import { ForecastSection } from './ForecastSection.js';
import { HeatmapSection } from './HeatmapSection.js';
import { LatencySection } from './LatencySection.js';
import { ModelsTable } from './ModelsTable.js';
import { SummaryStats } from './SummaryStats.js';
import { TokensSection } from './TokensSection.js';
import { ToolsTable } from './ToolsTable.js';

export default function DashboardPage() {
  const { isAdmin } = useSession();
  const timeRange = useTimeRange();
  const { range } = timeRange;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={isAdmin ? 'Spend and traffic across the whole gateway.' : 'Your own spend and traffic through the gateway.'}
        actions={<TimeRangePicker value={timeRange} />}
      />
      <SummaryStats range={range} isAdmin={isAdmin} />
      <CostTrendSection range={range} isAdmin={isAdmin} />
      <div className="grid grid-2">
        <TokensSection range={range} />
        <LatencySection range={range} />
      </div>
      <div className="grid grid-2">
        <ForecastSection />
        <BudgetsSection />
      </div>
      <HeatmapSection range={range} />
      <div className="grid grid-2">
        <ModelsTable range={range} />
        <ToolsTable range={range} />
      </div>
    </>
  );
}
