/**
 * Budget policies (spec §4): ordered threshold rules — `notify` at a percent, `shape` (throttle
 * to an RPM) at a percent, `block` at a percent — and the three presets. Pure: given what a
 * subject has committed in the period (spent plus reserved) it says where the subject stands.
 * Amounts are integer micro-dollars, like the ledger.
 */
import { z } from 'zod';

export const thresholdRule = z.discriminatedUnion('action', [
  z.object({ action: z.literal('notify'), percent: z.number().positive().max(1000) }).strict(),
  z.object({ action: z.literal('shape'), percent: z.number().positive().max(1000), rpm: z.number().int().positive().max(100_000) }).strict(),
  z.object({ action: z.literal('block'), percent: z.number().positive().max(1000) }).strict(),
]);

export type ThresholdRule = z.infer<typeof thresholdRule>;

export const PRESETS = {
  standard: [
    { action: 'notify', percent: 80 },
    { action: 'block', percent: 100 },
  ],
  soft: [
    { action: 'notify', percent: 80 },
    { action: 'notify', percent: 100 },
    { action: 'block', percent: 150 },
  ],
  shaped: [
    { action: 'notify', percent: 80 },
    { action: 'shape', percent: 100, rpm: 5 },
    { action: 'block', percent: 150 },
  ],
} as const satisfies Record<string, readonly ThresholdRule[]>;

export type PresetName = keyof typeof PRESETS;

/** Custom rules: at most one block, and rules in increasing percent order once sorted. */
export const customRules = z
  .array(thresholdRule)
  .min(1)
  .max(20)
  .refine((rules) => rules.filter((rule) => rule.action === 'block').length <= 1, 'at most one block rule')
  .transform((rules) => [...rules].sort((a, b) => a.percent - b.percent));

export type BudgetStatus = 'ok' | 'warning' | 'shaped' | 'blocked';

export interface BudgetStanding {
  /** Committed spend as a percent of the limit (may exceed 100). */
  readonly percent: number;
  readonly status: BudgetStatus;
  /** The RPM to throttle to while a shape rule applies. */
  readonly shapeRpm: number | null;
  /** Every rule whose threshold the committed spend has reached, lowest first. */
  readonly reached: readonly ThresholdRule[];
}

export function percentOf(committedMicros: number, limitMicros: number): number {
  return limitMicros <= 0 ? (committedMicros > 0 ? Infinity : 0) : (committedMicros / limitMicros) * 100;
}

export function standing(rules: readonly ThresholdRule[], limitMicros: number, committedMicros: number): BudgetStanding {
  const percent = percentOf(committedMicros, limitMicros);
  const reached = rules.filter((rule) => percent >= rule.percent);
  let status: BudgetStatus = 'ok';
  let shapeRpm: number | null = null;
  for (const rule of reached) {
    if (rule.action === 'block') status = 'blocked';
    else if (rule.action === 'shape' && status !== 'blocked') {
      status = 'shaped';
      shapeRpm = rule.rpm;
    } else if (rule.action === 'notify' && status === 'ok') status = 'warning';
  }
  return { percent, status, shapeRpm, reached };
}

/** The committed amount at which requests are refused, or null when the policy never blocks. */
export function blockAtMicros(rules: readonly ThresholdRule[], limitMicros: number): number | null {
  const block = rules.find((rule) => rule.action === 'block');
  return block ? Math.floor((limitMicros * block.percent) / 100) : null;
}
