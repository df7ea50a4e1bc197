/**
 * Where this month's spend is heading: spent so far, the expected month-end total and its range
 * (lib/forecast.ts), with the method in plain words. Always this UTC month, whatever range the
 * page shows, since a month-end forecast only means something for the current month.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api/client.js';
import { Section } from '../../components/Section.js';
import { ForecastChart } from '../../components/charts/ForecastChart.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { axisUsd } from '../../lib/chart-text.js';
import { cumulativeDays, forecastMonthEnd, forecastWindow, type Forecast } from '../../lib/forecast.js';
import { formatUsd } from '../../lib/format.js';
import type { Timeseries } from './types.js';

const MONTH = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function forecastSummary(forecast: Forecast): string {
  const month = MONTH.format(new Date(forecast.monthStart));
  if (forecast.method === 'none') return `No spend recorded yet, so there is nothing to forecast for ${month}.`;
  const range = forecast.method === 'weekday' ? ` (likely between ${formatUsd(forecast.lowUsd)} and ${formatUsd(forecast.highUsd)})` : '';
  return `${formatUsd(forecast.spentUsd)} spent in ${month} so far; expected ${formatUsd(forecast.expectedUsd)} by the end of the month${range}.`;
}

function Method({ forecast }: { forecast: Forecast }) {
  return (
    <details className="method">
      <summary>How this is computed</summary>
      <p>
        Spend follows the working week, so each day left in the month is expected to cost what the same weekday cost on average over the last four weeks
        (idle weekends stay idle). Today counts as partly spent: it is expected to reach its weekday's average. The range assumes every remaining day is as
        quiet as the quietest, or as busy as the busiest, same weekday of those four weeks. Days are UTC days.
      </p>
      <p>
        With less than a week of history the forecast falls back to a straight line: spend per day since the first day with spend this month, carried to the
        month's end. {forecast.method === 'weekday' ? `For comparison, that straight line would say ${formatUsd(forecast.linearUsd)} now.` : null}
      </p>
      <p>
        {forecast.method === 'weekday'
          ? `Based on ${forecast.historyDays} days of history.`
          : forecast.method === 'linear'
            ? `Only ${forecast.historyDays} full days of history so far: this is the straight line, with no range.`
            : 'No spend recorded yet.'}{' '}
        Fast-growing use lands nearer the top of the range.
      </p>
    </details>
  );
}

export function ForecastSection() {
  // Fixed for the life of the page, like the time range.
  const [now] = useState(() => Date.now());
  const span = useMemo(() => forecastWindow(now), [now]);
  const daily = useQuery({
    queryKey: ['analytics', 'forecast', span],
    queryFn: () => api.get<Timeseries>('/admin/analytics/timeseries', { ...span, granularity: 'day', group_by: 'none' }),
  });
  const forecast = useMemo(() => (daily.data ? forecastMonthEnd(daily.data.points, now) : undefined), [daily.data, now]);
  return (
    <Section id="forecast" title="Month-end forecast" description="This calendar month (UTC), whatever range is chosen above.">
      {daily.isError ? (
        <ErrorMessage error={daily.error} />
      ) : !forecast ? (
        <Loading />
      ) : (
        <>
          <dl className="forecast-figures">
            <div>
              <dt>Spent so far</dt>
              <dd>{formatUsd(forecast.spentUsd)}</dd>
            </div>
            <div>
              <dt>Expected by month end</dt>
              <dd>{formatUsd(forecast.expectedUsd)}</dd>
            </div>
            {forecast.method === 'weekday' ? (
              <div>
                <dt>Range</dt>
                <dd>
                  {formatUsd(forecast.lowUsd)} – {formatUsd(forecast.highUsd)}
                </dd>
              </div>
            ) : null}
          </dl>
          <ForecastChart days={cumulativeDays(forecast)} summary={forecastSummary(forecast)} formatAxis={axisUsd} />
          <Method forecast={forecast} />
        </>
      )}
    </Section>
  );
}
