/**
 * A member's own budgets (GET /admin/me/budgets): for each, the limit and period, what they spent,
 * where they stand, when it resets, and what happens at its thresholds. Read only.
 */
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { SpendMeter } from '../../components/SpendMeter.js';
import { formatDateTime, formatRelative, formatUsd } from '../../lib/format.js';
import { formatBudget, myBudgetTitle, PERIOD_NOUN, STATUS_MEANING, subjectLabel, thresholdSteps } from '../../lib/budgets.js';
import { useMyBudgets } from './queries.js';
import type { MyBudget } from './types.js';

function Thresholds({ budget }: { budget: MyBudget }) {
  if (!budget.rules) return <p>{STATUS_MEANING[budget.status]}</p>;
  return (
    <ul className="threshold-list">
      {thresholdSteps(budget.rules, budget.amount_usd).map((step) => (
        <li key={`${step.percent}-${step.text}`} className={budget.percent >= step.percent ? 'threshold-reached' : undefined}>
          <strong>
            At {step.percent}% ({formatUsd(step.amountUsd)}):
          </strong>{' '}
          {step.text}
          {budget.percent >= step.percent ? ' (reached)' : ''}.
        </li>
      ))}
    </ul>
  );
}

function BudgetCard({ budget, index }: { budget: MyBudget; index: number }) {
  const title = myBudgetTitle(budget.subject_type, subjectLabel(budget.subject_name));
  return (
    <Section id={`my-budget-${index}`} title={title} actions={<span className={`badge badge-${budget.status}`}>{budget.status}</span>}>
      <p className="my-budget-figures">
        <strong>{formatUsd(budget.spent_usd)}</strong> spent of {formatBudget(budget.amount_usd, budget.period)}
      </p>
      <SpendMeter percent={budget.percent} status={budget.status} label={`Spend of ${title.toLowerCase()} this ${PERIOD_NOUN[budget.period]}`} />
      <p className="muted">
        Resets <time dateTime={budget.resets_at} title={formatDateTime(budget.resets_at)}>{formatRelative(budget.resets_at)}</time> ({formatDateTime(budget.resets_at)}).
      </p>
      <h3 className="subheading">What happens as spend grows</h3>
      <Thresholds budget={budget} />
      {budget.strict ? (
        <p className="muted">
          This budget is strict: a request is refused when its worst case (its max_tokens at the model's price) no longer fits in what remains, so
          a smaller max_tokens can still get through near the limit.
        </p>
      ) : null}
    </Section>
  );
}

export function MyBudgets() {
  const budgets = useMyBudgets();
  const list = budgets.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Budgets"
        description="The spending limits that apply to you, what you have spent against them this period, and what the gateway does as you near them. Claude Code shows its own notices at 75% and 95% of a budget."
      />
      {budgets.isPending ? <Loading /> : null}
      <ErrorMessage error={budgets.error} title="Could not load your budgets" />
      {budgets.isSuccess && list.length === 0 ? (
        <EmptyState title="No budget applies to you.">Your spend is not capped. An admin can set a budget for you or your team.</EmptyState>
      ) : null}
      <div className="grid grid-2">
        {list.map((budget, index) => (
          <BudgetCard key={`${budget.subject_type}-${budget.subject_name}`} budget={budget} index={index} />
        ))}
      </div>
    </>
  );
}
