/**
 * Adding or editing a price row by hand (PUT /admin/pricing/{prefix}). The row becomes `manual`,
 * which seed updates never overwrite. An empty field means "no price"; an edit sends only the
 * fields that changed, so the others keep their values.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { PricingRow } from '../../api/types.js';
import { FormActions, FormError, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import { BASE_PRICES, MAX_PRICE, PRICE_LABELS, priceBody, priceFormOf, TIER_PRICES, validatePriceForm, type PriceField, type PriceForm, type PriceFormErrors } from './price-form.js';

export function PriceDialog({ row, onClose, onSaved }: { row?: PricingRow; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState<PriceForm>(priceFormOf(row));
  const [errors, setErrors] = useState<PriceFormErrors>({});
  const { busy, error, run } = useAction();
  const setPrice = (field: PriceField, value: string) => setForm((current) => ({ ...current, prices: { ...current.prices, [field]: value } }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validatePriceForm(form, row ? 'edit' : 'add');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = priceBody(form, row);
    void run(async () => {
      if (Object.keys(body).length > 0) await api.put<PricingRow>(`/admin/pricing/${encodeURIComponent(row?.model_prefix ?? form.prefix.trim())}`, body);
      onSaved();
      onClose();
    });
  }

  const priceField = (field: PriceField) => (
    <TextField
      key={field}
      label={PRICE_LABELS[field]}
      type="number"
      inputMode="decimal"
      min={0}
      max={MAX_PRICE}
      step="any"
      value={form.prices[field]}
      error={errors[field]}
      onChange={(event) => setPrice(field, event.target.value)}
    />
  );

  return (
    <Modal open wide title={row ? `Edit ${row.model_prefix}` : 'Add a price'} onClose={onClose}>
      <form className="price-form" onSubmit={submit}>
        {row ? (
          <p className="field-hint">Saving makes this a manual row: seed updates will not change it again. Empty a field to remove that price.</p>
        ) : (
          <TextField
            label="Model prefix"
            required
            maxLength={200}
            value={form.prefix}
            error={errors.prefix}
            onChange={(event) => setForm((current) => ({ ...current, prefix: event.target.value }))}
            hint="The model id, or its start: claude-sonnet-4-5 also prices claude-sonnet-4-5-20250929. An existing prefix is updated."
          />
        )}
        <fieldset className="form-section">
          <legend>Prices in USD per million tokens ($/MTok)</legend>
          <div className="form-row">{BASE_PRICES.map(priceField)}</div>
        </fieldset>
        <fieldset className="form-section">
          <legend>Long-prompt tier, $/MTok (optional)</legend>
          <p className="field-hint">When a request’s prompt (input, cache reads and writes) exceeds the threshold, every token of it uses these prices.</p>
          <TextField
            label="Threshold in prompt tokens"
            type="number"
            min={1}
            step={1}
            value={form.tierThreshold}
            error={errors.tierThreshold}
            onChange={(event) => setForm((current) => ({ ...current, tierThreshold: event.target.value }))}
          />
          <div className="form-row">{TIER_PRICES.map(priceField)}</div>
        </fieldset>
        <TextField label="Note" maxLength={500} value={form.note} onChange={(event) => setForm((current) => ({ ...current, note: event.target.value }))} hint="Optional, e.g. where the price comes from." />
        <FormError error={error} />
        <FormActions busy={busy} submitLabel={row ? 'Save price' : 'Add price'} onCancel={onClose} />
      </form>
    </Modal>
  );
}
