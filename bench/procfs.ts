/**
 * What Linux says about a process and the CPUs: peak/current RSS from /proc/<pid>/status, CPU
 * time from /proc/<pid>/stat, and per-core busy time from /proc/stat.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** VmHWM (peak resident set) and VmRSS of a process, in bytes; undefined once it is gone. */
export function memoryOf(pid: number): { peakRss: number; rss: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRss: kb('VmHWM'), rss: kb('VmRSS') };
}

/** User + system CPU seconds a process has used so far. */
export function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

export interface CoreTimes {
  busy: number;
  total: number;
}

/** Busy and total jiffies of each CPU core (cpu0, cpu1, ...), from /proc/stat. */
export function coreTimes(): Map<number, CoreTimes> {
  const cores = new Map<number, CoreTimes>();
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const values = match[2]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest fields are already in user/nice)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
    const busy = user + nice + system + irq + softirq + steal;
    cores.set(Number(match[1]), { busy, total: busy + idle + iowait });
  }
  return cores;
}

/** Busy share (0..1) of each core between two coreTimes() snapshots. */
export function coreBusy(before: Map<number, CoreTimes>, after: Map<number, CoreTimes>): Record<number, number> {
  const busy: Record<number, number> = {};
  for (const [core, end] of after) {
    const start = before.get(core);
    if (!start) continue;
    const total = end.total - start.total;
    busy[core] = total > 0 ? (end.busy - start.busy) / total : 0;
  }
  return busy;
}
