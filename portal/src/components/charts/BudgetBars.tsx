/**
 * Budget usage as bars: who or what the budget is for, spend against the limit, and when the
 * period resets. Each bar is a SpendMeter: an ARIA meter whose name says whose budget and how
 * much, coloured by the budget's own rules, with the percent always written out.
 */
import type { BudgetStatus } from '../../lib/budgets.js';
import { formatDateTime, formatPercent, formatRelative, formatUsd } from '../../lib/format.js';
import { SpendMeter } from '../SpendMeter.js';

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
  /** Where the budget stands by its own rules; shown as a badge unless it is "ok". */
  readonly status: BudgetStatus;
}

export function BudgetBars({ bars, label }: { bars: readonly BudgetBar[]; label: string }) {
  return (
    <ul className="bar-list" aria-label={label}>
      {bars.map((bar) => {
        return (
          <li key={bar.key}>
            <div className="bar-label">
              <span>
                <strong>{bar.name}</strong> <span className="muted">{bar.kind}</span> {bar.status !== 'ok' ? <span className={`badge badge-${bar.status}`}>{bar.status}</span> : null}
              </span>
              <span className="num">
                {formatUsd(bar.spentUsd)} / {formatUsd(bar.amountUsd)}
              </span>
            </div>
            <SpendMeter percent={bar.percent ?? 0} status={bar.status} label={`${bar.name}: ${formatUsd(bar.spentUsd)} of ${formatUsd(bar.amountUsd)} ${bar.period}`} />
            <p className="bar-note">
              {formatPercent(bar.percent, { fromPercent: true })} of the {bar.period} budget · resets <time dateTime={bar.resetsAt} title={formatDateTime(bar.resetsAt)}>{formatRelative(bar.resetsAt)}</time> ({formatDateTime(bar.resetsAt)})
            </p>
          </li>
        );
      })}
    </ul>
  );
}
