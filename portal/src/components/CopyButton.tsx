import { useState } from 'react';

/** Copies `text`; says so for a moment. Falls back to selecting the text where the clipboard API is unavailable (plain http). */
export function CopyButton({ text, label = 'Copy', targetId }: { text: string; label?: string; targetId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const target = targetId ? document.getElementById(targetId) : null;
      if (target) window.getSelection()?.selectAllChildren(target);
      setState('select');
    }
    window.setTimeout(() => setState('idle'), 2500);
  }
  return (
    <button type="button" className="button button-small" onClick={() => void copy()}>
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'select' ? 'Selected: press Ctrl+C' : label}</span>
    </button>
  );
}
