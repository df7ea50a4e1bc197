/**
 * Rollup buckets are UTC hours and days, as epoch milliseconds of their start. Epoch time has no
 * leap seconds, so a UTC day is always 86,400,000 ms and flooring is plain arithmetic.
 */

export type Grain = 'hour' | 'day';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const GRAIN_MS: Readonly<Record<Grain, number>> = { hour: HOUR_MS, day: DAY_MS };
export const GRAINS: readonly Grain[] = ['hour', 'day'];

export const floorTo = (time: number, unitMs: number): number => Math.floor(time / unitMs) * unitMs;
export const ceilTo = (time: number, unitMs: number): number => Math.ceil(time / unitMs) * unitMs;
