/**
 * Editing a routing (a team's, or the default): the strategy, with what each one trades, and the
 * ordered endpoint list (move up or down, add, remove). Saves with PUT; a team can instead go back
 * to the default routing (DELETE).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { EndpointRecord } from '../../api/types.js';
import { FormActions, FormError, SelectField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import type { RoutingStrategy, RoutingView } from './contract.js';
import { addable, addItem, draftOf, draftProblem, moveItem, removeItem, routingBody, STRATEGIES, strategyExplanation, type RoutingDraft } from './routing.js';

function EndpointOrder({ draft, endpoints, onChange }: { draft: RoutingDraft; endpoints: readonly EndpointRecord[]; onChange: (ids: string[]) => void }) {
  const [adding, setAdding] = useState('');
  const nameOf = (id: string) => endpoints.find((endpoint) => endpoint.id === id)?.name ?? id;
  const rest = addable(endpoints, draft.endpointIds);
  const ids = draft.endpointIds;
  return (
    <fieldset className="form-section">
      <legend>Endpoints, in order</legend>
      {ids.length === 0 ? <p className="field-hint">None listed: every enabled endpoint, the default first.</p> : null}
      <ol className="routing-order">
        {ids.map((id, index) => (
          <li key={id}>
            <span>{nameOf(id)}</span>
            <span className="row-actions">
              <button type="button" className="button button-small" aria-label={`Move ${nameOf(id)} up`} disabled={index === 0} onClick={() => onChange(moveItem(ids, index, -1))}>
                ↑
              </button>
              <button type="button" className="button button-small" aria-label={`Move ${nameOf(id)} down`} disabled={index === ids.length - 1} onClick={() => onChange(moveItem(ids, index, 1))}>
                ↓
              </button>
              <button type="button" className="button button-small" aria-label={`Remove ${nameOf(id)}`} onClick={() => onChange(removeItem(ids, id))}>
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      {rest.length > 0 ? (
        <div className="mapping-row">
          <SelectField label="Add an endpoint" value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">Choose…</option>
            {rest.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.name}
                {endpoint.enabled ? '' : ' (disabled)'}
              </option>
            ))}
          </SelectField>
          <div className="mapping-actions">
            <button
              type="button"
              className="button button-small"
              disabled={!adding}
              onClick={() => {
                onChange(addItem(ids, adding));
                setAdding('');
              }}
            >
              Add
            </button>
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}

export function RoutingEditor({ view, endpoints, onClose, onSaved }: { view: RoutingView; endpoints: readonly EndpointRecord[]; onClose: () => void; onSaved: () => void }) {
  const isDefault = view.team_id === null;
  const [draft, setDraft] = useState<RoutingDraft>(() => draftOf(view));
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const path = isDefault ? '/admin/routing/default' : `/admin/teams/${encodeURIComponent(view.team_id!)}/routing`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = draftProblem(draft, isDefault);
    setProblem(found);
    if (found) return;
    void run(async () => {
      await api.put(path, routingBody(draft));
      onSaved();
      onClose();
    });
  }

  const useDefault = () =>
    run(async () => {
      await api.delete(path);
      onSaved();
      onClose();
    });

  return (
    <Modal open title={isDefault ? 'Default routing' : `Routing of ${view.team_name ?? 'the team'}`} onClose={onClose} wide>
      <form onSubmit={submit}>
        <SelectField
          label="Strategy"
          value={draft.strategy}
          onChange={(event) => setDraft({ ...draft, strategy: event.target.value as RoutingStrategy })}
          hint={strategyExplanation(draft.strategy)}
        >
          {STRATEGIES.map((strategy) => (
            <option key={strategy.value} value={strategy.value}>
              {strategy.label}
            </option>
          ))}
        </SelectField>
        <EndpointOrder draft={draft} endpoints={endpoints} onChange={(endpointIds) => setDraft({ ...draft, endpointIds })} />
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <FormError error={error} />
        {!isDefault && view.custom ? (
          <p>
            <button type="button" className="button" disabled={busy} onClick={() => void useDefault()}>
              Use the default routing
            </button>
          </p>
        ) : null}
        <FormActions busy={busy} submitLabel="Save routing" onCancel={onClose} />
      </form>
    </Modal>
  );
}
