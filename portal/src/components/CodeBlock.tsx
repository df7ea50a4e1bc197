import { useId } from 'react';
import { CopyButton } from './CopyButton.js';

/** A command or file to copy, with its copy button. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  const id = useId();
  return (
    <div className="code-block">
      <pre id={id} aria-label={label} tabIndex={0}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} targetId={id} />
    </div>
  );
}
