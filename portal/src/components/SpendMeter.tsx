import type { BudgetStatus } from '../lib/budgets.js';
import { formatPercent } from '../lib/format.js';

/**
 * Spend against a budget: a bar, the percent beside it, and a meter role whose label and value
 * say the same to assistive technology. The colour follows the budget's status (ok, warning,
 * shaped, blocked); the percent is always written out, so colour is never the only signal. Past
 * 100% the bar stays full and the text says how far over it is.
 */
export function SpendMeter({ percent, status, label }: { percent: number; status: BudgetStatus; label: string }) {
  const text = formatPercent(percent, { fromPercent: true });
  return (
    <div className="spend-meter">
      <div className="meter spend-meter-bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={Math.max(100, percent)} aria-valuenow={percent} aria-valuetext={`${text} spent`}>
        <div className={`meter-fill ${status}`} style={{ width: `${Math.min(100, Math.max(0, percent))}%` }} />
      </div>
      <span className="spend-meter-percent" aria-hidden="true">
        {text}
      </span>
    </div>
  );
}
