/**
 * Concurrent spending against a $1.00 user budget, for the no-overspend proofs (one gateway, or
 * several replicas sharing PostgreSQL and Redis). Each request streams from the mock upstream on
 * Claude Sonnet 4.5 ($3 in, $6 1-hour cache write, $15 out per MTok):
 *   worst case reserved: 8 000 max_tokens × $15 + about 60 input tokens × $6 ≈ $0.1204
 *   actual cost:         6 600 output × $15 + 25 input × $3               =  $0.099075
 * Either admission rule (docs/budgets.md): by default a request is admitted while anything of the
 * budget remains uncommitted, so the ledger ends between the limit and the limit plus one worst
 * case; a strict budget admits only worst cases that fit, so the ledger ends within the limit.
 */
import { expect } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { sleep } from './mock-script.js';

export const BUDGET_MICROS = 1_000_000;
export const ACTUAL_MICROS = 99_075;
/** An upper bound of what the gate reserves for one request (asserted against the ledger's view). */
export const WORST_CASE_MICROS = 121_000;

const BODY = JSON.stringify({
  model: 'claude-sonnet-4-5-20250929',
  max_tokens: 8000,
  stream: true,
  messages: [{ role: 'user', content: 'spend [[usage in=25 out=6600]] [[delay 5]] [[chunks 10]]' }],
});

export type Outcome = 'served' | 'refused';

/** The admin API of a gateway (signed in) and a connection to its database. */
export interface AdminTarget {
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  store: Store;
}

/** The bounds on requests served that each admission rule implies for this load. */
export const SERVED_BOUNDS = {
  // Spent reaches the limit before a refusal with nothing in flight, and passes it by less than a worst case.
  default: { min: Math.ceil(BUDGET_MICROS / ACTUAL_MICROS), max: Math.floor((BUDGET_MICROS + WORST_CASE_MICROS) / ACTUAL_MICROS) },
  // The first wave alone fits eight worst cases at once; the limit holds nine actual costs.
  strict: { min: 8, max: Math.floor(BUDGET_MICROS / ACTUAL_MICROS) },
} as const;

export type AdmissionRule = keyof typeof SERVED_BOUNDS;

/** Gives the user a monthly $1.00 budget under the standard policy (notify 80 %, block 100 %) and the given admission rule. */
export async function createUserBudget(target: AdminTarget, email: string, rule: AdmissionRule = 'default'): Promise<void> {
  const user = await target.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const created = await target.admin('POST', '/budgets', {
    subject_type: 'user',
    subject_id: user.id,
    amount_usd: BUDGET_MICROS / 1e6,
    period: 'monthly',
    policy: 'standard',
    strict: rule === 'strict',
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`budget creation failed: ${created.status} ${JSON.stringify(created.body)}`);
}

/** One streamed request; a refusal must be the budget's 429 as spec §4 words it. */
async function spendOnce(url: string, key: string): Promise<Outcome> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: BODY,
  });
  const text = await response.text();
  if (response.status === 200) {
    expect(text).toContain('message_stop');
    return 'served';
  }
  expect(response.status, text).toBe(429);
  expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
  expect(response.headers.get('x-should-retry')).toBe('false');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  return 'refused';
}

/**
 * `clients` clients each spend until refused, spreading requests over `urls` in turn; then single
 * requests follow until one is refused with nothing in flight (settling runs just after a
 * response ends, so a refusal is retried once after a pause), which shows the budget was
 * refused only when its rule had no room for another request.
 */
export async function drive(urls: readonly string[], key: string, clients: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let turn = 0;
  const nextUrl = () => urls[turn++ % urls.length]!;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const outcome = await spendOnce(nextUrl(), key);
        outcomes.push(outcome);
        if (outcome === 'refused') return;
      }
    }),
  );
  for (let refusals = 0; refusals < 2; ) {
    const outcome = await spendOnce(nextUrl(), key);
    outcomes.push(outcome);
    if (outcome === 'refused') {
      refusals += 1;
      await sleep(300);
    } else refusals = 0;
  }
  return outcomes;
}

/**
 * The ledger holds every served request of the user, and their total is where the rule puts it:
 * default, at least the limit and at most the limit plus one worst case; strict, within the
 * limit yet less than a worst case below it.
 */
export async function expectWithinBudget(store: Store, email: string, served: number, rule: AdmissionRule): Promise<void> {
  const user = await store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const deadline = Date.now() + 10_000;
  let rows: { status: number; cost_micros: number }[] = [];
  while (Date.now() < deadline) {
    rows = await store.db.selectFrom('spend_ledger').select(['status', 'cost_micros']).where('status', '=', 200).where('user_id', '=', user.id).execute();
    if (rows.length >= served) break;
    await sleep(50);
  }
  expect(rows).toHaveLength(served);
  expect(rows.every((row) => Number(row.cost_micros) === ACTUAL_MICROS)).toBe(true);
  const total = rows.reduce((sum, row) => sum + Number(row.cost_micros), 0);
  // Actual cost never passes the reservation here, so the settlement error is zero.
  if (rule === 'strict') {
    expect(total).toBeLessThanOrEqual(BUDGET_MICROS);
    expect(total).toBeGreaterThan(BUDGET_MICROS - WORST_CASE_MICROS);
  } else {
    expect(total).toBeGreaterThanOrEqual(BUDGET_MICROS);
    expect(total).toBeLessThanOrEqual(BUDGET_MICROS + WORST_CASE_MICROS);
  }
}

/** Served within the rule's bounds. */
export function expectServed(served: number, rule: AdmissionRule): void {
  expect(served).toBeGreaterThanOrEqual(SERVED_BOUNDS[rule].min);
  expect(served).toBeLessThanOrEqual(SERVED_BOUNDS[rule].max);
}
