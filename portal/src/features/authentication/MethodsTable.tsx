/**
 * Method | Status | Description. The gateway's system report says which methods are on; until
 * it answers (or on a gateway without it) the enabled identity providers are counted instead.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { IdpRecord } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { useSystem } from '../system/use-system.js';
import { authMethods, type AuthMethodRow } from './auth-methods.js';
import { IDPS_QUERY } from './queries.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';

const COLUMNS: SimpleColumn<AuthMethodRow>[] = [
  { header: 'Method', rowHeader: true, render: (row) => row.method },
  { header: 'Status', render: (row) => <span className={`badge${row.enabled ? ' badge-enabled' : ''}`}>{row.status}</span> },
  { header: 'Description', render: (row) => row.description },
];

export function MethodsTable() {
  const system = useSystem();
  const idps = useQuery({
    queryKey: [...IDPS_QUERY, 'all'],
    queryFn: () => api.get<{ data: IdpRecord[] }>('/admin/idps', { limit: 1000 }),
    enabled: system.isError,
  });
  if (system.isPending || (system.isError && idps.isPending)) return <Loading />;
  if (idps.isError) return <ErrorMessage error={idps.error} title="Could not read the identity providers" />;
  const enabledIdps = (idps.data?.data ?? []).filter((idp) => idp.enabled).length;
  const rows = authMethods(system.data?.authentication, enabledIdps);
  return <SimpleTable label="Sign-in methods" columns={COLUMNS} rows={rows} rowKey={(row) => row.method} />;
}
