/**
 * Budget usage as bars: who or what the budget is for, spend against the limit, and when the
 * period resets. Each bar is an ARIA meter with its value in words, so a screen reader hears
 * "alice@example.com: 85% of $100.00 monthly, close to the limit" rather than a bare shape.
 */
import { budgetLevelText, meterPercent, type BudgetLevel } from '../../lib/budget-standing.js';
import { formatDateTime, formatPercent, formatRelative, formatUsd } from '../../lib/format.js';

export interface BudgetBar {
  readonly key: string;
  readonly name: string;
  /** "user", "team", …, shown next to the name. */
  readonly kind: string;
  readonly period: string;
  readonly spentUsd: number | null;
  readonly amountUsd: number;
  readonly percent: number | null;
  readonly resetsAt: string;
  readonly level: BudgetLevel;
  /** The member route's own word for the standing, shown as a badge unless it is "ok". */
  readonly status?: string;
}

export function BudgetBars({ bars, label }: { bars: readonly BudgetBar[]; label: string }) {
  return (
    <ul className="bar-list" aria-label={label}>
      {bars.map((bar) => {
        const text = `${formatPercent(bar.percent, { fromPercent: true })} of ${formatUsd(bar.amountUsd)} ${bar.period}, ${budgetLevelText(bar.level)}`;
        return (
          <li key={bar.key}>
            <div className="bar-label">
              <span>
                <strong>{bar.name}</strong> <span className="muted">{bar.kind}</span> {bar.status && bar.status !== 'ok' ? <span className={`badge badge-${bar.status}`}>{bar.status}</span> : null}
              </span>
              <span className="num">
                {formatUsd(bar.spentUsd)} / {formatUsd(bar.amountUsd)}
              </span>
            </div>
            <div className="meter" role="meter" aria-label={bar.name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={meterPercent(bar.percent)} aria-valuetext={text}>
              <div className={`meter-fill ${bar.level}`} style={{ width: `${meterPercent(bar.percent)}%` }} />
            </div>
            <p className="bar-note">
              {formatPercent(bar.percent, { fromPercent: true })} of the {bar.period} budget · resets <time dateTime={bar.resetsAt} title={formatDateTime(bar.resetsAt)}>{formatRelative(bar.resetsAt)}</time> ({formatDateTime(bar.resetsAt)})
            </p>
          </li>
        );
      })}
    </ul>
  );
}
