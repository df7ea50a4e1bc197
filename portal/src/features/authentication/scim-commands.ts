/**
 * The ccag CLI equivalents of the SCIM setup, for this provider and gateway (pure; tested in
 * test/portal/scim-commands.test.ts).
 */
import { gatewayBase, shellCommand } from '../../lib/shell.js';

export function scimCliCommands(idpName: string, adminGroups: readonly string[], gatewayUrl: string): string {
  const url = ['--url', gatewayBase(gatewayUrl)];
  const groups = adminGroups.length > 0 ? adminGroups : ['CCAG Admins'];
  return [
    shellCommand(['ccag', 'scim', 'enable', idpName, ...url]),
    shellCommand(['ccag', 'scim', 'create-token', idpName, ...url]),
    shellCommand(['ccag', 'scim', 'set-admin-groups', idpName, ...groups, ...url]),
  ].join('\n');
}

/** A token as the list shows it: revoked ones stay listed by prefix. */
export const tokenStatus = (token: { revoked_at: string | null }): 'active' | 'revoked' => (token.revoked_at ? 'revoked' : 'active');
