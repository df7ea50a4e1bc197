/**
 * Steps 3 and 4 and the state they leave: the active destination (deactivate) and the draft with
 * its last test (test delivery, activate once a test succeeded after the last change, discard).
 */
import { useId, useState } from 'react';
import { api } from '../../api/client.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormError } from '../../components/Form.js';
import { KeyValueList, type KeyValueItem } from '../../components/KeyValueList.js';
import { Section } from '../../components/Section.js';
import { formatDateTime, formatDuration } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { CATEGORY_LABEL, destinationTarget, everyText, lastTestText, testResultText, TYPE_LABEL } from './notification-logic.js';
import type { Destination, TestDeliveryResult } from './types.js';

const TARGET_LABEL = { webhook: 'URL', sns: 'Topic ARN', eventbridge: 'Event bus' } as const;

function detailsOf(destination: Destination): KeyValueItem[] {
  const items: KeyValueItem[] = [
    { label: 'Type', value: TYPE_LABEL[destination.type] },
    ...(destination.name ? [{ label: 'Name', value: destination.name }] : []),
    { label: TARGET_LABEL[destination.type], value: <span className="mono">{destinationTarget(destination)}</span> },
  ];
  if (destination.type === 'webhook') {
    items.push({ label: 'Signing secret', value: destination.secret_set ? 'Set (stored encrypted)' : 'None' });
  } else {
    items.push({ label: 'Region', value: destination.region ?? '—' });
    if (destination.type === 'eventbridge') items.push({ label: 'Source', value: <span className="mono">{destination.source ?? 'ccag'}</span> });
    if (destination.endpoint_url) items.push({ label: 'Endpoint URL', value: <span className="mono">{destination.endpoint_url}</span> });
    items.push({ label: 'Credentials', value: destination.auth === 'static' ? `Static keys, ${destination.access_key_id ?? ''}` : 'Default credential chain' });
  }
  items.push({ label: 'Events', value: destination.categories.map((category) => CATEGORY_LABEL[category]).join(', ') || 'None' });
  items.push({ label: 'Changed', value: formatDateTime(destination.updated_at) });
  return items;
}

export function ActiveCard({ active, intervalSeconds, onChanged }: { active: Destination | null; intervalSeconds: number; onChanged: () => Promise<unknown> }) {
  return (
    <Section
      id="notifications-active"
      title="Active destination"
      actions={active ? <span className="badge badge-active">active</span> : <span className="badge badge-disabled">none</span>}
    >
      {active ? (
        <>
          <KeyValueList items={detailsOf(active)} />
          <div className="form-actions">
            <ConfirmButton
              label="Deactivate"
              tone="default"
              small={false}
              title="Deactivate notifications?"
              confirmLabel="Deactivate"
              onConfirm={async () => {
                await api.post('/admin/notifications/deactivate');
                await onChanged();
              }}
            >
              <p>
                The gateway stops delivering at once. This destination’s settings become the draft (replacing any draft), so it can be tested and activated
                again. Events raised meanwhile are skipped; they stay in the outbox and can be retried.
              </p>
            </ConfirmButton>
          </div>
        </>
      ) : (
        <EmptyState title="No destination is active.">
          Events are kept in the outbox but not sent. Configure a destination below, save it as a draft, test it, then activate it: from then on events go out{' '}
          {everyText(intervalSeconds)}.
        </EmptyState>
      )}
    </Section>
  );
}

export function DraftCard({ draft, hasActive, onChanged }: { draft: Destination | null; hasActive: boolean; onChanged: () => Promise<unknown> }) {
  const [result, setResult] = useState<TestDeliveryResult>();
  const test = useAction();
  const activate = useAction();
  const hintId = useId();

  const sendTest = () =>
    test.run(async () => {
      setResult(undefined);
      setResult(await api.post<TestDeliveryResult>('/admin/notifications/draft/test'));
      await onChanged();
    });
  const activateDraft = () =>
    activate.run(async () => {
      await api.post('/admin/notifications/draft/activate');
      setResult(undefined);
      await onChanged();
    });

  return (
    <Section id="notifications-draft" title="Draft" actions={draft ? <span className="badge badge-draft">draft</span> : null}>
      {draft ? (
        <>
          <KeyValueList items={[...detailsOf(draft), { label: 'Last test', value: lastTestText(draft, formatDateTime) }]} />
          {result ? (
            <p className={`notice ${result.ok ? 'notice-ok' : 'notice-error'}`} role="status">
              {testResultText(result, formatDuration)}
            </p>
          ) : null}
          <FormError error={test.error ?? activate.error} />
          <div className="form-actions">
            <ConfirmButton
              label="Discard draft"
              small={false}
              title="Discard the draft?"
              confirmLabel="Discard draft"
              onConfirm={async () => {
                await api.delete('/admin/notifications/draft');
                setResult(undefined);
                await onChanged();
              }}
            >
              <p>The draft’s settings and stored secret are deleted. {hasActive ? 'The active destination is not affected.' : 'No destination is active, so nothing changes for delivery.'}</p>
            </ConfirmButton>
            <button type="button" className="button" disabled={test.busy} onClick={() => void sendTest()}>
              {test.busy ? 'Sending…' : 'Test delivery'}
            </button>
            <button type="button" className="button button-primary" disabled={!draft.can_activate || activate.busy} aria-describedby={hintId} onClick={() => void activateDraft()}>
              {activate.busy ? 'Activating…' : 'Activate'}
            </button>
          </div>
          <p className="field-hint" id={hintId}>
            {draft.can_activate
              ? `Activating makes the draft the destination for every event${hasActive ? ', replacing the active one' : ''}.`
              : 'Activate is possible once a test delivery succeeds after the draft’s last change.'}
          </p>
        </>
      ) : (
        <EmptyState title="No draft.">
          {hasActive ? 'To change the destination, edit the form below and save: the change becomes a draft until you test and activate it.' : 'Fill in the form below and save it as a draft first.'}
        </EmptyState>
      )}
    </Section>
  );
}
