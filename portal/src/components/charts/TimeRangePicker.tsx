/**
 * The analytics pages' time range: a preset or two dates, and hourly or daily buckets. The choice
 * lives in the address bar (lib/use-time-range.ts), so a view is a link; the page owns the hook
 * and passes it here, so the picker and the page's queries read one resolved range.
 */
import { useId } from 'react';
import { granularitiesFor, rangeDates, type RangeKind } from '../../lib/range-search.js';
import { formatDateTime } from '../../lib/format.js';
import { RANGE_PRESETS, type Granularity } from '../../lib/time-range.js';
import type { TimeRangeState } from '../../lib/use-time-range.js';
import { Segmented } from './Segmented.js';

const GRANULARITY_LABEL: Record<Granularity, string> = { hour: 'Hourly', day: 'Daily' };

export function TimeRangePicker({ value }: { value: TimeRangeState }) {
  const { choice, range, setChoice } = value;
  const id = useId();
  const allowed = granularitiesFor(range);
  const dates = choice.kind === 'custom' ? { fromDate: choice.fromDate ?? '', toDate: choice.toDate ?? '' } : rangeDates(range);
  const today = new Date().toISOString().slice(0, 10);

  function pick(kind: RangeKind) {
    // Switching to custom starts from the dates the current range covers; a chosen bucket size stays where it fits.
    const granularity = choice.granularity ? { granularity: choice.granularity } : {};
    setChoice(kind === 'custom' ? { kind, ...rangeDates(range), ...granularity } : { kind, ...granularity });
  }

  function setDates(fromDate: string, toDate: string) {
    if (fromDate && toDate && fromDate <= toDate) setChoice({ kind: 'custom', fromDate, toDate, ...(choice.granularity ? { granularity: choice.granularity } : {}) });
  }

  return (
    <div className="range-picker" role="group" aria-label="Time range">
      <span className="range-field">
        <label htmlFor={`${id}-range`}>Range</label>
        <select id={`${id}-range`} value={choice.kind} onChange={(event) => pick(event.target.value as RangeKind)}>
          {Object.entries(RANGE_PRESETS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
          <option value="custom">Custom dates</option>
        </select>
      </span>
      {choice.kind === 'custom' ? (
        <>
          <span className="range-field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={dates.fromDate} max={dates.toDate || today} required onChange={(event) => setDates(event.target.value, dates.toDate)} />
          </span>
          <span className="range-field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={dates.toDate} min={dates.fromDate} max={today} required onChange={(event) => setDates(dates.fromDate, event.target.value)} />
          </span>
        </>
      ) : null}
      <Segmented
        label="Bucket size"
        value={range.granularity}
        onChange={(granularity) => setChoice({ ...choice, granularity })}
        options={(['hour', 'day'] as const).map((granularity) => ({
          value: granularity,
          label: GRANULARITY_LABEL[granularity],
          disabled: !allowed.includes(granularity),
          title: allowed.includes(granularity) ? undefined : 'Hourly buckets go up to 31 days',
        }))}
      />
      <span className="range-span muted">
        {formatDateTime(range.from)} – {formatDateTime(range.to)}
      </span>
    </div>
  );
}
