/** Formatting helpers for the report, and a description of the machine. */
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_CPU, LOAD_CPU, ROOT } from './settings.js';

export const mb = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? null : bytes / (1024 * 1024));
export const ms = (value: number | null | undefined) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(2));
export const pct = (value: number | null | undefined) => (value === null || value === undefined ? '-' : `${Math.round(value * 100)}%`);

export function table(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export interface Check {
  name: string;
  pass: boolean;
  measured: string;
  target: string;
}

export function machine(): Record<string, unknown> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    logicalCpus: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    gatewayCpu: GATEWAY_CPU,
    loadCpu: LOAD_CPU,
  };
}

export function gitCommit(): string | null {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}
