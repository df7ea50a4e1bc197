/** The Bedrock part of the add-endpoint form: where requests go, and which credentials sign them. */
import type { BedrockAuth } from '../../api/types.js';
import { CopyButton } from '../../components/CopyButton.js';
import { SelectField, TextField } from '../../components/Form.js';
import type { EndpointForm, EndpointFormErrors } from './endpoint-form.js';

const AUTH_HINT: Record<BedrockAuth, string> = {
  default: 'The gateway’s own AWS credentials (task or instance role, environment, profile), resolved at each call so rotation keeps working.',
  static: 'An access key pair for an IAM user. Stored encrypted; it cannot be shown again.',
  assume_role: 'The gateway assumes this role with its default-chain credentials: the usual way to use another account.',
};

/** `keepSecrets`: editing an endpoint that has them stored, so blank secret fields keep them. */
export function BedrockFields({ form, errors, update, keepSecrets = false }: { form: EndpointForm; errors: EndpointFormErrors; update: (change: Partial<EndpointForm>) => void; keepSecrets?: boolean }) {
  const keep = keepSecrets ? 'leave blank to keep' : undefined;
  return (
    <>
      <div className="form-row">
        <TextField label="Region" required placeholder="us-east-1" value={form.region} error={errors.region} onChange={(event) => update({ region: event.target.value })} />
        <TextField
          label="Routing prefix"
          list="routing-prefixes"
          placeholder="from the region"
          value={form.routingPrefix}
          error={errors.routingPrefix}
          onChange={(event) => update({ routingPrefix: event.target.value })}
          hint="Inference-profile prefix for model ids. Empty: the region’s own (us-east-1 → us), else global."
        />
        <datalist id="routing-prefixes">
          {['us', 'eu', 'apac', 'jp', 'au', 'global', 'us-gov'].map((prefix) => (
            <option key={prefix} value={prefix} />
          ))}
        </datalist>
      </div>
      <TextField
        label="Endpoint URL"
        type="url"
        placeholder="https://bedrock-runtime.us-east-1.amazonaws.com"
        value={form.endpointUrl}
        error={errors.endpointUrl}
        onChange={(event) => update({ endpointUrl: event.target.value })}
        hint="Optional: a VPC interface endpoint, so traffic stays off the internet."
      />
      <SelectField label="Credentials" value={form.auth} onChange={(event) => update({ auth: event.target.value as BedrockAuth })} hint={AUTH_HINT[form.auth]}>
        <option value="default">Default credential chain</option>
        <option value="static">Static access keys</option>
        <option value="assume_role">Assume a role</option>
      </SelectField>
      {form.auth === 'static' ? (
        <>
          <TextField label="Access key id" autoComplete="off" required={!keepSecrets} placeholder={keep} value={form.accessKeyId} error={errors.accessKeyId} onChange={(event) => update({ accessKeyId: event.target.value })} />
          <TextField label="Secret access key" type="password" autoComplete="off" required={!keepSecrets} placeholder={keep} value={form.secretAccessKey} error={errors.secretAccessKey} onChange={(event) => update({ secretAccessKey: event.target.value })} />
          <TextField label="Session token" type="password" autoComplete="off" placeholder={keep} value={form.sessionToken} onChange={(event) => update({ sessionToken: event.target.value })} hint="Only for temporary credentials, which expire: prefer a role." />
        </>
      ) : null}
      {form.auth === 'assume_role' ? (
        <>
          <TextField label="Role ARN" required placeholder="arn:aws:iam::123456789012:role/ccag-bedrock" value={form.roleArn} error={errors.roleArn} onChange={(event) => update({ roleArn: event.target.value })} />
          <div className="field-with-action">
            <TextField
              label="External id"
              autoComplete="off"
              spellCheck={false}
              placeholder={keep}
              value={form.externalId}
              onChange={(event) => update({ externalId: event.target.value })}
              hint="Recommended: the role's trust policy requires it, so only this gateway can assume the role (see “Credentials” on this page). Put it in the trust policy now: it is stored encrypted and not shown again."
            />
            <button type="button" className="button button-small" onClick={() => update({ externalId: crypto.randomUUID() })}>
              Generate
            </button>
            {form.externalId ? <CopyButton text={form.externalId} /> : null}
          </div>
        </>
      ) : null}
    </>
  );
}
