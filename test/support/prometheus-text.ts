/** Reading a Prometheus text exposition in tests: types by name, and one series' value. */

/** `# TYPE` lines: scraped metric name → Prometheus type. */
export function metricTypes(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The value of the series written exactly as `name{labels}` (labels in exposition order), if present. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
