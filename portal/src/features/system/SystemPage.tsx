/**
 * System: this gateway's state from GET /admin/system — version, public URL, health, database
 * and Redis with their round trips, endpoints, the ledger's backlog, sign-in methods and identity
 * providers — checked again with Refresh.
 */
import { Link } from 'react-router';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { KeyValueList } from '../../components/KeyValueList.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { formatDateTime } from '../../lib/format.js';
import { authMethods } from '../authentication/auth-methods.js';
import { dialectName, endpointsText, formatUptime, latencyText, ledgerText } from './system-text.js';
import type { SystemInfo } from './types.js';
import { useSystem } from './use-system.js';

function Status({ value }: { value: string }) {
  return <span className={`badge badge-${value}`}>{value}</span>;
}

function withLatency(parts: readonly (string | undefined)[]) {
  return parts.filter(Boolean).join(' · ');
}

function SystemReport({ system }: { system: SystemInfo }) {
  return (
    <>
      <div className="grid grid-2">
        <Section id="system-gateway" title="Gateway">
          <KeyValueList
            items={[
              { label: 'Version', value: system.version },
              { label: 'Proxy URL', value: <span className="mono">{system.public_url}</span> },
              { label: 'Health', value: <Status value={system.health} /> },
              { label: 'Uptime', value: formatUptime(system.uptime_s) },
              { label: 'Endpoints', value: <Link to="/endpoints">{endpointsText(system.endpoints)}</Link> },
            ]}
          />
        </Section>
        <Section id="system-storage" title="Storage">
          <KeyValueList
            items={[
              {
                label: 'Database',
                value: (
                  <>
                    <Status value={system.database.status} /> {withLatency([dialectName(system.database.dialect), latencyText(system.database.latency_ms)])}
                  </>
                ),
              },
              ...(system.redis
                ? [
                    {
                      label: 'Redis',
                      value: (
                        <>
                          <Status value={system.redis.status} /> {latencyText(system.redis.latency_ms) ?? ''}
                        </>
                      ),
                    },
                  ]
                : []),
              { label: 'Spend ledger', value: ledgerText(system.ledger.queued) },
            ]}
          />
        </Section>
      </div>
      <div className="grid grid-2">
        <Section id="system-auth" title="Authentication">
          <KeyValueList items={authMethods(system.authentication, 0).map((row) => ({ label: row.method, value: row.status }))} />
        </Section>
        <Section id="system-idps" title="Identity providers">
          {system.identity_providers.length === 0 ? (
            <p className="muted">
              None. Add one on the <Link to="/authentication">Authentication</Link> page to offer single sign-on.
            </p>
          ) : (
            <KeyValueList
              items={system.identity_providers.map((idp) => ({
                label: idp.display_name,
                value: (
                  <>
                    <Status value={idp.enabled ? 'enabled' : 'disabled'} /> {idp.scim_enabled ? 'SCIM on · ' : ''}
                    <span className="mono">{idp.issuer}</span>
                  </>
                ),
              }))}
            />
          )}
        </Section>
      </div>
    </>
  );
}

export default function SystemPage() {
  const system = useSystem();
  return (
    <>
      <PageHeader
        title="System"
        description={system.dataUpdatedAt ? `The state of this gateway, checked ${formatDateTime(new Date(system.dataUpdatedAt).toISOString())}.` : 'The state of this gateway.'}
        actions={
          <button type="button" className="button" disabled={system.isFetching} onClick={() => void system.refetch()}>
            {system.isFetching ? 'Checking…' : 'Refresh'}
          </button>
        }
      />
      {system.isError ? <ErrorMessage error={system.error} title="Could not read the system status" /> : null}
      {system.isPending ? <Loading /> : system.data ? <SystemReport system={system.data} /> : null}
    </>
  );
}
