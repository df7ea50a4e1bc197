/**
 * The current period's figures, as the exporter this collector replaces defines them: usage "from
 * midnight (UTC) to now". Each successful read replaces them with the sum of the current UTC
 * day's buckets per series. They are gauges, not counters: a revised bucket moves them down as
 * well as up, and they start again from 0 at UTC midnight.
 *
 * Figures belong to the day they were read for: once the clock has passed into the next UTC day
 * they read 0 until a read for the new day succeeds, so a failing collector never shows
 * yesterday's usage as today's. Every series the window has shown keeps reporting (0 when it has
 * no usage today), so a panel or `topk` does not lose it at midnight.
 */
import { DAY_MS, utcDayStart } from './reconcile.js';
import type { BucketSeries } from './usage-series.js';

export class CurrentPeriod<Labels> {
  private dayStart: number | undefined;
  private readonly figures = new Map<string, { labels: Labels; value: bigint }>();

  /** Replaces every figure with one successful read's buckets of the day that starts at `dayStart`. */
  replace(dayStart: number, buckets: Iterable<BucketSeries<Labels>>): void {
    for (const figure of this.figures.values()) figure.value = 0n;
    for (const bucket of buckets) {
      const figure = this.figures.get(bucket.seriesKey) ?? { labels: bucket.labels, value: 0n };
      this.figures.set(bucket.seriesKey, figure);
      if (bucket.bucketStart >= dayStart && bucket.bucketStart < dayStart + DAY_MS) figure.value += bucket.value;
    }
    this.dayStart = dayStart;
  }

  /** Each series' figure at `now`: 0 once `now` is past the day the figures were read for. */
  *values(now: number): Iterable<{ labels: Labels; value: bigint }> {
    const current = this.dayStart === utcDayStart(now);
    for (const figure of this.figures.values()) yield { labels: figure.labels, value: current ? figure.value : 0n };
  }
}
