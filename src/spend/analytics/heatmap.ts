/**
 * Folding UTC hour buckets into a week of local hours (day 0 = Monday, hour 0–23) in an IANA
 * time zone. Each bucket is placed by the local time of its start, read through Intl, so DST
 * shifts land each UTC hour in the local hour it really was (a zone with a half-hour offset puts
 * the whole UTC hour in the local hour it starts in). Pure.
 */

export interface HeatmapCell {
  day: number;
  hour: number;
  requests: number;
  costMicros: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The local weekday (0 = Monday) and hour of an instant in the zone. */
function zonedSlot(format: Intl.DateTimeFormat, time: number): { day: number; hour: number } {
  let day = 0;
  let hour = 0;
  for (const part of format.formatToParts(time)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
  }
  return { day, hour };
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
}

/** All 168 cells, Monday 00:00 first, with the buckets' requests and cost added in. */
export function heatmapCells(buckets: ReadonlyArray<{ bucketStart: number; requests: number; costMicros: number }>, timeZone: string): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  for (let day = 0; day < 7; day++) for (let hour = 0; hour < 24; hour++) cells.push({ day, hour, requests: 0, costMicros: 0 });
  const format = zoneFormat(timeZone);
  for (const bucket of buckets) {
    const { day, hour } = zonedSlot(format, bucket.bucketStart);
    const cell = cells[day * 24 + hour]!;
    cell.requests += bucket.requests;
    cell.costMicros += bucket.costMicros;
  }
  return cells;
}
