/**
 * What every chart sits in: loading and error states, "no data in this range" instead of an
 * empty plot, and the chart's summary in words under it. The summary is the chart's text
 * alternative: the plot's accessible name says what it shows, its description points here.
 */
import { useId, type ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';
import { ErrorMessage } from '../ErrorMessage.js';
import { Loading } from '../Loading.js';

export interface ChartFrameProps {
  /** What the chart shows ("Cost by model per day"). */
  readonly label: string;
  readonly summary: string;
  readonly empty: boolean;
  readonly pending?: boolean;
  readonly error?: unknown;
  readonly tall?: boolean;
  /** Renders the chart, given the accessibility attributes to put on it. */
  readonly children: (a11y: { 'aria-label': string; 'aria-describedby': string }) => ReactElement;
}

export function ChartFrame({ label, summary, empty, pending, error, tall, children }: ChartFrameProps) {
  const summaryId = useId();
  if (error) return <ErrorMessage error={error} />;
  if (pending) return <Loading />;
  return (
    <figure className="chart-figure">
      {empty ? (
        <div className="chart-empty">No data in this range.</div>
      ) : (
        <div className={tall ? 'chart chart-tall' : 'chart'}>
          <ResponsiveContainer width="100%" height="100%">
            {children({ 'aria-label': label, 'aria-describedby': summaryId })}
          </ResponsiveContainer>
        </div>
      )}
      {empty ? null : (
        <figcaption id={summaryId} className="chart-summary">
          {summary}
        </figcaption>
      )}
    </figure>
  );
}
