import type { ReactNode } from 'react';

/**
 * The Actions column of a list of credentials (keys, admin API keys, SCIM tokens): the Revoke
 * confirmation while the credential works, nothing once it is revoked, since revoking is final.
 * Fits both DataTable and SimpleTable.
 */
export function revokeColumn<T>(isRevoked: (row: T) => boolean, revokeButton: (row: T) => ReactNode) {
  return {
    header: 'Actions',
    align: 'right' as const,
    render: (row: T) => (isRevoked(row) ? null : <div className="row-actions">{revokeButton(row)}</div>),
  };
}
