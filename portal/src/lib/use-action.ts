import { useState } from 'react';

/**
 * A request someone starts from the portal (a form's submit, a confirmation, a button) with what
 * the screen needs while it runs: `busy` disables the button that started it, and `error` keeps
 * what failed (the API's message) for the form to show, cleared at the next try. Success is the
 * caller's own business (close the dialog, show the new secret), so it goes inside the action.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function run(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}
