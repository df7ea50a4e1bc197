/**
 * The System page's sentences from GET /admin/system: pure, so they are unit-tested
 * (test/portal/system-text.test.ts).
 */
import type { SystemInfo } from './types.js';

/** 42 s, 12 min, 5 h 12 min, 3 d 4 h: the two largest units are enough to judge a restart. */
export function formatUptime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

const DIALECTS: Record<SystemInfo['database']['dialect'], string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export const dialectName = (dialect: SystemInfo['database']['dialect']): string => DIALECTS[dialect] ?? dialect;

/** A round trip in milliseconds, or nothing when the check did not get one. */
export function latencyText(ms: number | null | undefined): string | undefined {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return undefined;
  return ms < 1 ? '< 1 ms' : `${Math.round(ms)} ms`;
}

/** "2 of 3 enabled; default: bedrock-us". */
export function endpointsText(endpoints: SystemInfo['endpoints']): string {
  if (endpoints.total === 0) return 'None yet: add one on the Endpoints page.';
  const parts = [`${endpoints.enabled} of ${endpoints.total} enabled`];
  if (endpoints.default !== null) parts.push(`default: ${endpoints.default}`);
  else if (endpoints.enabled > 0) parts.push('no default endpoint');
  return parts.join('; ');
}

/** The ledger's backlog: rows accepted but not yet in the database (they survive in the journal). */
export function ledgerText(queued: number): string {
  if (queued === 0) return 'Up to date';
  return `${queued.toLocaleString('en-US')} ${queued === 1 ? 'row' : 'rows'} waiting to be written`;
}
