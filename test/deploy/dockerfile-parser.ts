/**
 * Reads deploy/Dockerfile into its stages, so tests check and replay the recipe itself rather than
 * a copy of its commands that could drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOCKERFILE = join(process.cwd(), 'deploy', 'Dockerfile');

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  /** The name after AS. */
  name: string;
  /** The image or earlier stage it starts FROM. */
  base: string;
  instructions: Instruction[];
}

/** Joins continuation lines and drops comments (a line whose first non-blank is `#`). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const continued = /\\\s*$/.test(raw);
    pending += continued ? `${raw.replace(/\\\s*$/, '')} ` : raw;
    if (continued) continue;
    if (pending.trim() !== '') lines.push(pending.trim().replace(/\s+/g, ' '));
    pending = '';
  }
  return lines;
}

export function parseDockerfile(text: string = readFileSync(DOCKERFILE, 'utf8')): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [op = '', ...rest] = line.split(' ');
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?: AS (\S+))?$/i.exec(args);
      if (!match) throw new Error(`unreadable FROM: ${line}`);
      stages.push({ base: match[1]!, name: match[2] ?? `stage-${stages.length}`, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`instruction before the first FROM: ${line}`);
    stage.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** The stage named `name`, or a failed expectation's message. */
export function stage(stages: Stage[], name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`deploy/Dockerfile has no stage ${name} (stages: ${stages.map((s) => s.name).join(', ')})`);
  return found;
}

/** The arguments of every instruction `op` in a stage. */
export function argsOf(s: Stage, op: string): string[] {
  return s.instructions.filter((i) => i.op === op).map((i) => i.args);
}
