/**
 * SCIM setup of one provider: switch it on or off (both change who can sign in, so both confirm),
 * the base URL and tokens to give the IdP, the groups, and the same steps with the ccag CLI.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { IdpRecord, ScimStatusRecord } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { KeyValueList } from '../../components/KeyValueList.js';
import { Loading } from '../../components/Loading.js';
import { formatInteger } from '../../lib/format.js';
import { idpQuery, useAllTeams, useRefreshProviders } from './queries.js';
import { scimCliCommands } from './scim-commands.js';
import { ScimGroups } from './ScimGroups.js';
import { ScimTokens } from './ScimTokens.js';

export function ScimPanel({ idp }: { idp: IdpRecord }) {
  const { session } = useSession();
  const queryClient = useQueryClient();
  const teams = useAllTeams();
  const path = `/admin/idps/${encodeURIComponent(idp.name)}/scim`;
  const queryKey = [...idpQuery(idp.name), 'scim'];
  const status = useQuery({ queryKey, queryFn: () => api.get<ScimStatusRecord>(path) });

  // The provider list shows SCIM on or off and the admin groups: refresh it with the status.
  const refreshProviders = useRefreshProviders();
  const saved = async (next: ScimStatusRecord) => {
    queryClient.setQueryData(queryKey, next);
    await refreshProviders();
  };
  const switchTo = async (on: boolean) => saved(await api.post<ScimStatusRecord>(`${path}/${on ? 'enable' : 'disable'}`));

  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorMessage error={status.error} title="Could not load the SCIM settings" />;
  const scim = status.data;
  const name = idp.display_name;

  return (
    <div className="scim-panel">
      <div className="card-subheader">
        <h3 className="subheading">
          {name}: SCIM is <span className={`badge badge-${scim.enabled ? 'enabled' : 'disabled'}`}>{scim.enabled ? 'on' : 'off'}</span>
        </h3>
        {scim.enabled ? (
          <ConfirmButton label="Disable SCIM" title={`Disable SCIM for ${name}?`} confirmLabel="Disable SCIM" onConfirm={() => switchTo(false)}>
            <p>
              {name}’s provisioning requests get 401 (its tokens are kept), so users it creates or deactivates stop reaching CCAG. Anyone with an account may
              sign in through {name} again.
            </p>
          </ConfirmButton>
        ) : (
          <ConfirmButton label="Enable SCIM" title={`Enable SCIM for ${name}?`} confirmLabel="Enable SCIM" onConfirm={() => switchTo(true)}>
            <p>
              From now on only users that {name} provisioned through SCIM may sign in through it. People who signed in before are refused until {name} pushes
              them (it adopts their existing accounts, keys and spend).
            </p>
          </ConfirmButton>
        )}
      </div>
      <KeyValueList
        items={[
          { label: 'Users provisioned', value: formatInteger(scim.users_provisioned) },
          { label: 'Groups pushed', value: formatInteger(scim.groups.length) },
        ]}
      />
      <p>In {name}’s provisioning settings, enter this base URL and a token from below as the bearer token:</p>
      <CodeBlock code={scim.base_url} label="SCIM base URL" />
      <ScimTokens idpName={idp.name} displayName={name} status={scim} onChanged={() => status.refetch()} />
      <ScimGroups idpName={idp.name} displayName={name} status={scim} teams={teams.data?.data ?? []} onSaved={saved} />
      <h3 className="subheading">With the ccag CLI</h3>
      <CodeBlock code={scimCliCommands(idp.name, scim.admin_groups, session.gateway_url)} label="ccag SCIM commands" />
    </div>
  );
}
