/**
 * The tooltip of every chart: the bucket's label, then each series with its colour swatch and
 * value in the page's text colour, so it reads in light and dark schemes alike.
 */
import type { TooltipContentProps } from 'recharts';

export interface ChartTooltipFormat {
  readonly formatLabel: (label: number | string) => string;
  readonly formatValue: (value: number, name: string) => string;
  /** Shown under the entries, e.g. a total. */
  readonly footer?: (entries: readonly { name: string; value: number }[]) => string | undefined;
}

export function ChartTooltip({ active, payload, label, formatLabel, formatValue, footer }: Pick<TooltipContentProps, 'active' | 'payload' | 'label'> & ChartTooltipFormat) {
  if (!active || !payload || payload.length === 0) return null;
  const entries = payload
    .filter((entry) => entry.value !== null && entry.value !== undefined && entry.type !== 'none')
    .map((entry) => ({ name: String(entry.name ?? ''), value: Number(entry.value), colour: entry.color ?? entry.stroke ?? entry.fill ?? 'var(--muted)' }));
  const note = footer?.(entries);
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-label">{formatLabel(label ?? '')}</p>
      <ul>
        {entries.map((entry) => (
          <li key={entry.name}>
            <span className="chart-swatch" style={{ background: entry.colour }} aria-hidden="true" />
            <span className="chart-tooltip-name">{entry.name}</span>
            <span className="chart-tooltip-value">{formatValue(entry.value, entry.name)}</span>
          </li>
        ))}
      </ul>
      {note ? <p className="chart-tooltip-footer">{note}</p> : null}
    </div>
  );
}
