/**
 * Adding or editing an OIDC identity provider. The gateway reads the issuer's discovery document
 * before saving, so a wrong issuer comes back as the API's own explanation. The client secret is
 * write-only: the form never has it, and an empty field keeps the stored one.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { IdpRecord } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { CheckboxField, FormActions, FormError, SelectField, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { gatewayBase } from '../../lib/shell.js';
import { useAction } from '../../lib/use-action.js';
import { GroupTeamsEditor } from './GroupTeamsEditor.js';
import { useAllTeams } from './queries.js';
import { createIdpBody, idpFormOf, NEW_IDP_FORM, updateIdpBody, validateIdpForm, type IdpForm, type IdpFormErrors } from './idp-form.js';

function secretHint(idp: IdpRecord | undefined) {
  if (!idp) return 'Optional; without one CCAG is a public client (PKCE only). Stored encrypted, never shown again.';
  return idp.client_secret_set ? 'Stored and never shown: leave empty to keep it, re-enter it to change it.' : 'None stored (public client): enter one to set it.';
}

export function IdpDialog({ idp, onClose, onSaved }: { idp?: IdpRecord; onClose: () => void; onSaved: () => void }) {
  const { session } = useSession();
  const teams = useAllTeams();
  const [form, setForm] = useState<IdpForm>(idp ? idpFormOf(idp) : NEW_IDP_FORM);
  const [errors, setErrors] = useState<IdpFormErrors>({});
  const { busy, error, run } = useAction();
  const set = (change: Partial<IdpForm>) => setForm((current) => ({ ...current, ...change }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateIdpForm(form, idp ? 'edit' : 'create');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      if (!idp) await api.post<IdpRecord>('/admin/idps', createIdpBody(form));
      else {
        const change = updateIdpBody(form, idp);
        if (Object.keys(change).length > 0) await api.patch<IdpRecord>(`/admin/idps/${encodeURIComponent(idp.name)}`, change);
      }
      onSaved();
      onClose();
    });
  }

  const redirectUri = idp?.redirect_uri ?? `${gatewayBase(session.gateway_url)}/auth/oidc/callback`;
  return (
    <Modal open wide title={idp ? `Edit ${idp.display_name}` : 'Add an identity provider'} onClose={onClose}>
      <form className="idp-form" onSubmit={submit}>
        <p className="field-hint">
          Register CCAG at the identity provider as a web application (authorization code flow) with this redirect URI:
        </p>
        <CodeBlock code={redirectUri} label="Redirect URI" />
        <fieldset className="form-section">
          <legend>Provider</legend>
          {idp ? null : (
            <TextField label="Name" required maxLength={63} value={form.name} error={errors.name} onChange={(event) => set({ name: event.target.value })} hint="Lowercase letters, digits and dashes; it appears in the sign-in URL." />
          )}
          <TextField label="Display name" maxLength={500} value={form.displayName} onChange={(event) => set({ displayName: event.target.value })} hint="What people see on the sign-in button; the name when empty." />
          <TextField label="Issuer" type="url" required value={form.issuer} error={errors.issuer} onChange={(event) => set({ issuer: event.target.value })} hint="The IdP’s issuer URL; CCAG reads its discovery document before saving." />
          <div className="form-row">
            <TextField label="Client id" required maxLength={500} value={form.clientId} error={errors.clientId} onChange={(event) => set({ clientId: event.target.value })} />
            <TextField label="Client secret" type="password" autoComplete="new-password" maxLength={4096} value={form.clientSecret} disabled={form.removeSecret} onChange={(event) => set({ clientSecret: event.target.value })} placeholder={idp?.client_secret_set ? 'Unchanged' : ''} hint={secretHint(idp)} />
          </div>
          {idp?.client_secret_set ? <CheckboxField label="Remove the stored secret (make CCAG a public client)" checked={form.removeSecret} onChange={(event) => set({ removeSecret: event.target.checked })} /> : null}
          <TextField label="Audience" maxLength={500} value={form.audience} onChange={(event) => set({ audience: event.target.value })} hint="The aud an IdP-issued JWT must carry on the data plane; the client id when empty." />
          <TextField label="Scopes" value={form.scopes} error={errors.scopes} onChange={(event) => set({ scopes: event.target.value })} hint="Comma-separated. Add groups where the IdP needs it for the groups claim." />
        </fieldset>
        <fieldset className="form-section">
          <legend>Who may sign in</legend>
          <TextField label="User claims" value={form.userClaims} error={errors.userClaims} onChange={(event) => set({ userClaims: event.target.value })} hint="Tried in order for the person’s email or username." />
          <TextField label="Allowed domains" value={form.allowedDomains} error={errors.allowedDomains} onChange={(event) => set({ allowedDomains: event.target.value })} hint="Comma-separated email domains; empty allows any." />
          <CheckboxField label="Create a CCAG user at first sign-in" checked={form.autoProvision} onChange={(event) => set({ autoProvision: event.target.checked })} hint="Off: only existing users may sign in." />
          <SelectField label="Default role" value={form.defaultRole} onChange={(event) => set({ defaultRole: event.target.value as IdpForm['defaultRole'] })} hint="For users created at sign-in, unless an admin group applies.">
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </SelectField>
        </fieldset>
        <fieldset className="form-section">
          <legend>Groups</legend>
          <TextField label="Groups claim" maxLength={500} value={form.groupsClaim} error={errors.groupsClaim} onChange={(event) => set({ groupsClaim: event.target.value })} />
          <GroupTeamsEditor rows={form.groupTeams} teams={teams.data?.data ?? []} error={errors.groupTeams} onChange={(groupTeams) => set({ groupTeams })} />
          <TextField label="Admin groups" value={form.adminGroups} onChange={(event) => set({ adminGroups: event.target.value })} hint="Comma-separated. Members of these groups are admins; everyone else signing in here is a member." />
        </fieldset>
        <CheckboxField label="Enabled" checked={form.enabled} onChange={(event) => set({ enabled: event.target.checked })} hint="A disabled provider offers no sign-in and its JWTs are refused." />
        <FormError error={error} />
        <FormActions busy={busy} submitLabel={idp ? 'Save changes' : 'Add provider'} onCancel={onClose} />
      </form>
    </Modal>
  );
}
