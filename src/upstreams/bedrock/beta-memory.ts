/**
 * Betas Bedrock refuses, learned per model for one endpoint (an upstream instance is one
 * endpoint). Bedrock trails Anthropic's beta list and answers an unknown beta with a 400 that
 * fails the whole request, while Claude Code sends betas unconditionally: learning them keeps
 * every later request from paying a failed round trip.
 */

/**
 * The betas a ValidationException blames. Bedrock sometimes names the beta and sometimes only says
 * "invalid beta flag"; then every beta not yet seen to work on this model is suspect.
 */
export function blamedBetas(message: string, sent: readonly string[], provenGood: ReadonlySet<string>): string[] {
  const named = sent.filter((beta) => message.includes(beta));
  if (named.length > 0) return named;
  if (!/\bbeta\b/i.test(message)) return [];
  return sent.filter((beta) => !provenGood.has(beta));
}

export class BetaMemory {
  readonly #rejected = new Map<string, Set<string>>();
  readonly #accepted = new Map<string, Set<string>>();

  rejected(model: string): ReadonlySet<string> {
    return this.#rejected.get(model) ?? new Set();
  }

  accepted(model: string): ReadonlySet<string> {
    return this.#accepted.get(model) ?? new Set();
  }

  reject(model: string, betas: readonly string[]): void {
    const set = this.#rejected.get(model) ?? new Set<string>();
    for (const beta of betas) set.add(beta);
    this.#rejected.set(model, set);
  }

  accept(model: string, betas: readonly string[]): void {
    if (betas.length === 0) return;
    const set = this.#accepted.get(model) ?? new Set<string>();
    for (const beta of betas) set.add(beta);
    this.#accepted.set(model, set);
  }
}
