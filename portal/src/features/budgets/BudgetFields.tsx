/**
 * A budget's settings in a form: amount, period, time zone, policy (each explained in plain
 * words) and the strict admission rule. Used wherever a budget is set (Budgets, and a team's budgets on Teams).
 */
import { useId, useMemo } from 'react';
import { CheckboxField, SelectField, TextField } from '../../components/Form.js';
import { describeRules, MAX_AMOUNT_USD, PERIOD_DESCRIPTION, PERIODS, POLICY_PRESETS, PRESET_DESCRIPTIONS, STRICT_EXPLANATION, STRICT_LABEL, type BudgetDraft, type BudgetPeriod, type ThresholdRule } from '../../lib/budgets.js';

const POLICY_NAME = { standard: 'Standard', soft: 'Soft', shaped: 'Shaped', custom: 'Custom' } as const;
const PERIOD_NAME: Record<BudgetPeriod, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' };

/** The zones this browser knows, for suggestions; UTC first (some browsers leave it out of the list). */
function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

export function BudgetFields({
  draft,
  onChange,
  errors,
  customRules,
}: {
  draft: BudgetDraft;
  onChange: (draft: BudgetDraft) => void;
  errors: { amount?: string; timeZone?: string };
  /** The rules of a budget with a custom policy, offered as "keep them". */
  customRules?: readonly ThresholdRule[] | undefined;
}) {
  const zoneListId = useId();
  const zones = useMemo(timeZones, []);
  const set = (change: Partial<BudgetDraft>) => onChange({ ...draft, ...change });
  const policies = customRules ? ([...POLICY_PRESETS, 'custom'] as const) : POLICY_PRESETS;
  return (
    <>
      <div className="form-row">
        <TextField
          label="Amount (USD)"
          type="number"
          inputMode="decimal"
          required
          min={0.01}
          max={MAX_AMOUNT_USD}
          step="any"
          value={draft.amount}
          error={errors.amount}
          onChange={(event) => set({ amount: event.target.value })}
        />
        <SelectField label="Period" value={draft.period} hint={PERIOD_DESCRIPTION[draft.period]} onChange={(event) => set({ period: event.target.value as BudgetPeriod })}>
          {PERIODS.map((period) => (
            <option key={period} value={period}>
              {PERIOD_NAME[period]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Time zone"
        list={zoneListId}
        autoComplete="off"
        placeholder="The gateway's default"
        value={draft.timeZone}
        error={errors.timeZone}
        hint="Periods start at midnight in this IANA zone (e.g. Europe/Berlin). Empty: the gateway's default, CCAG_BUDGET_TIME_ZONE (UTC unless set)."
        onChange={(event) => set({ timeZone: event.target.value })}
      />
      <datalist id={zoneListId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <fieldset className="policy-options">
        <legend>Policy: what happens as spend grows</legend>
        {policies.map((policy) => (
          <label key={policy} className="policy-option">
            <input type="radio" name="policy" value={policy} checked={draft.policy === policy} onChange={() => set({ policy })} />
            <span>
              <strong>{POLICY_NAME[policy]}</strong>
              {policy === 'standard' ? ' (the default)' : ''}: {policy === 'custom' ? `${describeRules(customRules ?? [])} Kept as set through the API or CLI.` : PRESET_DESCRIPTIONS[policy]}
            </span>
          </label>
        ))}
        <p className="field-hint">Notify records a budget alert. Block refuses requests once spend reaches the threshold, until the period resets.</p>
      </fieldset>
      <CheckboxField label={STRICT_LABEL} hint={STRICT_EXPLANATION} checked={draft.strict} onChange={(event) => set({ strict: event.target.checked })} />
    </>
  );
}
