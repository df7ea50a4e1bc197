import type { ReactNode } from 'react';
import { CodeBlock } from './CodeBlock.js';

/** A secret the gateway shows exactly once (a new key or token), with what to do next. */
export function SecretOnce({ secret, label, children }: { secret: string; label: string; children?: ReactNode }) {
  return (
    <div className="secret-once" role="status">
      <p>
        <strong>Copy this {label} now.</strong> It is shown only once; the gateway keeps only its hash.
      </p>
      <CodeBlock code={secret} label={label} />
      {children}
    </div>
  );
}
