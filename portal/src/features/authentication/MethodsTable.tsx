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
import { authMethods } from './auth-methods.js';
import { IDPS_QUERY } from './queries.js';
import { TableScroll } from '../../components/TableScroll.js';

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
  return (
    <TableScroll label="Sign-in methods">
      <table aria-label="Sign-in methods">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Status</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.method}>
              <th scope="row" className="row-heading">
                {row.method}
              </th>
              <td>
                <span className={`badge${row.enabled ? ' badge-enabled' : ''}`}>{row.status}</span>
              </td>
              <td>{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
