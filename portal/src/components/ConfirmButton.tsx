import { useState, type ReactNode } from 'react';
import { useAction } from '../lib/use-action.js';
import { FormError } from './Form.js';
import { Modal } from './Modal.js';

/**
 * A destructive action behind a confirmation that says exactly what will happen. The dialog stays
 * open with the API's message when the action fails.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  small = true,
  accessibleLabel,
  tone = 'danger',
}: {
  label: string;
  /** A name that tells rows apart for screen readers ("Revoke key sk-ccag-1a2b3c"), when `label` alone does not. */
  accessibleLabel?: string;
  /** `danger` for what cannot be undone; `default` for reversible actions that still deserve a second look. */
  tone?: 'danger' | 'default';
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  small?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  const confirm = () =>
    run(async () => {
      await onConfirm();
      setOpen(false);
    });
  return (
    <>
      <button type="button" className={`button${tone === 'danger' ? ' button-danger' : ''}${small ? ' button-small' : ''}`} aria-label={accessibleLabel} onClick={() => setOpen(true)}>
        {label}
      </button>
      <Modal open={open} title={title} onClose={() => setOpen(false)}>
        <div className="confirm-text">{children}</div>
        <FormError error={error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="button" className={`button ${tone === 'danger' ? 'button-danger' : 'button-primary'}`} disabled={busy} onClick={() => void confirm()}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </Modal>
    </>
  );
}
