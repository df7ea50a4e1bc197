import type { ReactNode } from 'react';
import { CodeBlock } from './CodeBlock.js';

/**
 * A secret the gateway shows exactly once (a new key or token), with what to do next. A dialog
 * that shows it passes `onDone` for its closing button; shown in a page (Connect, SCIM tokens),
 * it has no button and stays there. `stored` says what the gateway keeps: a hash for credentials it
 * only checks, the secret itself (encrypted) for one it uses, such as a webhook signing secret.
 */
export function SecretOnce({ secret, label, children, onDone, stored = 'hash' }: { secret: string; label: string; children?: ReactNode; onDone?: () => void; stored?: 'hash' | 'encrypted' }) {
  return (
    <>
      <div className="secret-once" role="status">
        <p>
          <strong>Copy this {label} now.</strong> It is shown only once; {stored === 'hash' ? 'the gateway keeps only its hash.' : 'the gateway keeps it encrypted and never shows it again.'}
        </p>
        <CodeBlock code={secret} label={label} />
        {children}
      </div>
      {onDone ? (
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onDone}>
            Done
          </button>
        </div>
      ) : null}
    </>
  );
}
