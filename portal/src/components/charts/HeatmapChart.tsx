/**
 * Activity by hour of the week, drawn with the chart library's bars: 24 hour columns, each a stack
 * of seven equal segments (one per weekday, Monday on top), coloured by the level of requests in
 * that hour. Hovering or moving with the arrow keys shows the hour's requests and cost; the colour
 * scale is spelled out beside it and the summary says the busiest times in words.
 */
import { useId } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis, type BarShapeProps } from 'recharts';
import { dayOfStackPosition, heatCellLabel, heatLegend, heatLevel, heatmapGrid, heatmapSummary, WEEKDAYS, type HeatCell } from '../../lib/heatmap.js';
import { formatInteger, formatUsd } from '../../lib/format.js';
import { ChartFrame } from './ChartFrame.js';
import { axisProps } from './theme.js';

/** One row per hour: a constant 1 per weekday stack position (the segment height), and the cells behind them. */
interface HourRow {
  readonly hour: number;
  readonly cells: readonly HeatCell[];
  readonly [position: `p${number}`]: number;
}

const POSITIONS = [0, 1, 2, 3, 4, 5, 6] as const;

function hourRows(grid: readonly HeatCell[]): HourRow[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const row: Record<string, unknown> = { hour, cells: POSITIONS.map((position) => grid[dayOfStackPosition(position) * 24 + hour]!) };
    for (const position of POSITIONS) row[`p${position}`] = 1;
    return row as unknown as HourRow;
  });
}

function HeatTooltip({ active, cell }: { active: boolean; cell: HeatCell | undefined }) {
  if (!active || !cell) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-label">{heatCellLabel(cell)}</p>
      <p>
        {formatInteger(cell.requests)} requests · {formatUsd(cell.cost_usd)}
      </p>
    </div>
  );
}

export function HeatmapChart({ cells, timeZone, pending, error }: { cells: readonly HeatCell[]; timeZone: string; pending?: boolean; error?: unknown }) {
  const legendId = useId();
  const grid = heatmapGrid(cells);
  const max = Math.max(0, ...grid.map((cell) => cell.requests));
  const rows = hourRows(grid);
  const cellAt = (hour: number, position: number) => rows[hour]?.cells[position];
  const shape = (position: number) =>
    function HeatSquare(props: BarShapeProps) {
      const cell = cellAt(props.index, position);
      return <rect x={props.x} y={props.y} width={props.width} height={props.height} rx={2} fill={`var(--heat-${heatLevel(cell?.requests ?? 0, max)})`} stroke="var(--surface)" strokeWidth={2} />;
    };
  return (
    <>
      <ChartFrame label={`Requests by hour of the week (${timeZone})`} summary={heatmapSummary(grid, timeZone)} empty={max === 0} pending={pending} error={error} tall>
        {(a11y) => (
          <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={0} {...a11y}>
            <XAxis dataKey="hour" {...axisProps} interval={2} tickFormatter={(hour: number) => `${String(hour).padStart(2, '0')}:00`} />
            <YAxis type="number" domain={[0, 7]} ticks={POSITIONS.map((position) => position + 0.5)} {...axisProps} tickFormatter={(tick: number) => WEEKDAYS[dayOfStackPosition(Math.floor(tick))]!.slice(0, 3)} width={40} />
            <Tooltip
              shared={false}
              cursor={false}
              content={({ active, payload }) => {
                const entry = payload?.[0];
                const position = Number(String(entry?.dataKey ?? '').slice(1));
                return <HeatTooltip active={active} cell={entry ? (entry.payload as HourRow).cells[position] : undefined} />;
              }}
            />
            {POSITIONS.map((position) => (
              <Bar key={position} dataKey={`p${position}`} name={WEEKDAYS[dayOfStackPosition(position)]} stackId="week" shape={shape(position)} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
      </ChartFrame>
      {max > 0 ? (
        <div className="heat-legend">
          <span id={legendId}>Requests per hour</span>
          <ul aria-labelledby={legendId}>
            {heatLegend(max).map((step) => (
              <li key={step.level}>
                <span className={`heat-swatch heat-${step.level}`} aria-hidden="true" />
                {step.label}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
