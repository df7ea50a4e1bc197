/**
 * Step 1 and 2: the destination's settings, saved as the draft. Starts from the draft, else from
 * a copy of the active destination; secret fields always start empty ("re-enter to change"). The
 * page shows a signing secret the gateway generated (it outlives this form, which restarts from
 * the saved draft).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { CheckboxField, FormActions, FormError, SelectField, TextField } from '../../components/Form.js';
import { useAction } from '../../lib/use-action.js';
import { CATEGORY_LABEL, draftInput, formOf, formProblems, keepsSecret, TYPE_LABEL, type DestinationForm as Form, type DestinationFormErrors } from './notification-logic.js';
import { DESTINATION_TYPES, type AwsAuth, type DestinationType, type NotificationsState, type SavedDraft } from './types.js';

const TYPE_HINT: Record<DestinationType, string> = {
  webhook: 'An HTTPS POST of each event, signed so the receiver can check it came from this gateway.',
  sns: 'Publishes each event to an SNS topic (needs sns:Publish), for email, SMS, Lambda or queues.',
  eventbridge: 'Puts each event on an EventBridge bus (needs events:PutEvents), for rules that route it anywhere.',
};

type Update = (change: Partial<Form>) => void;

function AwsFields({ form, errors, update, keep }: { form: Form; errors: DestinationFormErrors; update: Update; keep: boolean }) {
  return (
    <>
      <div className="form-row">
        <TextField label="Region" required placeholder="us-east-1" value={form.region} error={errors.region} onChange={(event) => update({ region: event.target.value })} />
        <TextField
          label="Endpoint URL"
          type="url"
          placeholder="the region’s public endpoint"
          value={form.endpointUrl}
          error={errors.endpointUrl}
          onChange={(event) => update({ endpointUrl: event.target.value })}
          hint="Optional: a VPC interface endpoint."
        />
      </div>
      <SelectField
        label="Credentials"
        value={form.auth}
        onChange={(event) => update({ auth: event.target.value as AwsAuth })}
        hint={form.auth === 'default' ? 'The gateway’s own AWS credentials (its task or instance role): nothing to store.' : 'An IAM user’s access key pair, stored encrypted.'}
      >
        <option value="default">Default credential chain</option>
        <option value="static">Static access keys</option>
      </SelectField>
      {form.auth === 'static' ? (
        <div className="form-row">
          <TextField label="Access key id" autoComplete="off" required value={form.accessKeyId} error={errors.accessKeyId} onChange={(event) => update({ accessKeyId: event.target.value })} />
          <TextField
            label="Secret access key"
            type="password"
            autoComplete="off"
            required={!keep}
            placeholder={keep ? 'leave blank to keep' : undefined}
            value={form.secretAccessKey}
            error={errors.secretAccessKey}
            onChange={(event) => update({ secretAccessKey: event.target.value })}
            hint="Stored encrypted and never shown again: re-enter it to change it."
          />
        </div>
      ) : null}
    </>
  );
}

function TypeFields({ form, errors, update, keep }: { form: Form; errors: DestinationFormErrors; update: Update; keep: boolean }) {
  if (form.type === 'webhook') {
    return (
      <>
        <TextField label="Webhook URL" type="url" required placeholder="https://hooks.example.com/ccag" value={form.url} error={errors.url} onChange={(event) => update({ url: event.target.value })} />
        <TextField
          label="Signing secret"
          type="password"
          autoComplete="off"
          placeholder={keep ? 'leave blank to keep' : 'leave blank to generate one'}
          value={form.signingSecret}
          error={errors.signingSecret}
          onChange={(event) => update({ signingSecret: event.target.value })}
          hint={`${keep ? 'Blank keeps the stored secret.' : 'Blank: the gateway generates one and shows it once.'} Each request carries x-ccag-signature, an HMAC-SHA256 of the timestamp and body with this secret.`}
        />
      </>
    );
  }
  return (
    <>
      {form.type === 'sns' ? (
        <TextField label="Topic ARN" required placeholder="arn:aws:sns:us-east-1:123456789012:ccag-events" value={form.topicArn} error={errors.topicArn} onChange={(event) => update({ topicArn: event.target.value })} />
      ) : (
        <div className="form-row">
          <TextField label="Event bus" required placeholder="default" value={form.eventBusName} error={errors.eventBusName} onChange={(event) => update({ eventBusName: event.target.value })} hint="A bus name or ARN." />
          <TextField label="Source" placeholder="ccag" value={form.source} onChange={(event) => update({ source: event.target.value })} hint="The events’ source field, for your rules to match." />
        </div>
      )}
      <AwsFields form={form} errors={errors} update={update} keep={keep} />
    </>
  );
}

export function DestinationForm({ state, onSaved }: { state: NotificationsState; onSaved: (saved: SavedDraft) => Promise<unknown> }) {
  const [form, setForm] = useState<Form>(() => formOf(state.draft ?? state.active, state.categories));
  const [errors, setErrors] = useState<DestinationFormErrors>({});
  const { busy, error, run } = useAction();
  const keep = keepsSecret(form, state.draft ?? state.active);
  const update: Update = (change) => setForm((current) => ({ ...current, ...change }));

  function toggleCategory(category: Form['categories'][number], on: boolean) {
    update({ categories: on ? [...new Set([...form.categories, category])] : form.categories.filter((name) => name !== category) });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = formProblems(form, keep);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      const saved = await api.put<SavedDraft>('/admin/notifications/draft', draftInput(form));
      setForm((current) => ({ ...current, signingSecret: '', secretAccessKey: '' }));
      await onSaved(saved);
    });
  }

  return (
    <form className="stacked-form" onSubmit={submit} noValidate>
      <fieldset className="policy-options">
        <legend>Type</legend>
        {DESTINATION_TYPES.map((type) => (
          <label key={type} className="policy-option">
            <input type="radio" name="destination-type" value={type} checked={form.type === type} onChange={() => update({ type })} />
            <span>
              <strong>{TYPE_LABEL[type]}</strong>: {TYPE_HINT[type]}
            </span>
          </label>
        ))}
      </fieldset>
      <TextField label="Name" placeholder="ops alerts" value={form.name} onChange={(event) => update({ name: event.target.value })} hint="Optional: a label for you." />
      <TypeFields form={form} errors={errors} update={update} keep={keep} />
      <fieldset className="policy-options">
        <legend>Events to send</legend>
        {state.categories.map((category) => (
          <CheckboxField key={category} label={CATEGORY_LABEL[category] ?? category} checked={form.categories.includes(category)} onChange={(event) => toggleCategory(category, event.target.checked)} />
        ))}
        {errors.categories ? <p className="field-error">{errors.categories}</p> : null}
      </fieldset>
      <FormError error={error} />
      <FormActions busy={busy} submitLabel="Save as draft" />
    </form>
  );
}
