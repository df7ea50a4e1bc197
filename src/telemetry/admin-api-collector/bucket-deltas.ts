/**
 * Exact cumulative totals built from reports that restate the same buckets on every poll. Each
 * (bucket start, series) keeps the highest value seen; a total grows only by what a bucket rose
 * since it was last seen. So a bucket seen again adds nothing, a bucket revised upward adds the
 * difference, and a bucket revised downward adds nothing (a counter cannot go back; its later
 * rise adds only what exceeds the earlier high). Buckets that left the polled window are
 * forgotten: the window only moves forward, so they are never restated.
 */
export class BucketDeltas {
  private readonly seen = new Map<string, { bucketStart: number; value: bigint }>();

  /** Records one bucket's value for a series; returns what it adds to the series' total. */
  observe(bucketStart: number, seriesKey: string, value: bigint): bigint {
    const key = `${bucketStart}\u0000${seriesKey}`;
    const previous = this.seen.get(key)?.value ?? 0n;
    if (value <= previous) return 0n;
    this.seen.set(key, { bucketStart, value });
    return value - previous;
  }

  forgetBucketsBefore(start: number): void {
    for (const [key, entry] of this.seen) if (entry.bucketStart < start) this.seen.delete(key);
  }
}

/**
 * Running totals by label set. A series exists from its first report, even at 0, so a scrape
 * shows 0 rather than no data.
 */
export class SeriesTotals<Labels extends Record<string, string>> {
  private readonly totals = new Map<string, { labels: Labels; total: bigint }>();

  add(labels: Labels, amount: bigint): void {
    const key = JSON.stringify(Object.entries(labels));
    const series = this.totals.get(key) ?? { labels, total: 0n };
    series.total += amount;
    this.totals.set(key, series);
  }

  series(): Iterable<{ labels: Labels; total: bigint }> {
    return this.totals.values();
  }
}
