/**
 * Connecting with a virtual key: create one right here (named "claude-code", shown once) and it
 * fills both snippets; otherwise they show a placeholder for a key from the Keys page.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import type { CreatedKey } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { FormError } from '../../components/Form.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useAction } from '../../lib/use-action.js';
import { keySettings, keySetupCommand } from './connect-snippets.js';

/** The name of keys made here, so they are easy to tell apart on the Keys page. */
const KEY_NAME = 'claude-code';

export function KeyConnect({ url }: { url: string }) {
  const { session, isAdmin } = useSession();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedKey>();
  const { busy, error, run } = useAction();

  const create = () =>
    run(async () => {
      // Admins must name the owner; a member's keys are always their own.
      const key = await api.post<CreatedKey>('/admin/keys', { name: KEY_NAME, user_email: isAdmin ? session.user.email : undefined });
      setCreated(key);
      await queryClient.invalidateQueries({ queryKey: ['admin', 'keys'] });
    });

  return (
    <>
      {created ? (
        <SecretOnce secret={created.key} label="key">
          <p>It is already filled in below.</p>
        </SecretOnce>
      ) : (
        <div className="connect-key">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void create()}>
            {busy ? 'Creating…' : 'Create a key for Claude Code'}
          </button>
          <p className="field-hint">
            Named “{KEY_NAME}”, owned by you. Or use a key you already have from <Link to="/keys">Keys</Link> in place of <code>&lt;your key&gt;</code>.
          </p>
          <FormError error={error} />
        </div>
      )}
      <h3 className="subheading">With the ccag CLI</h3>
      <CodeBlock code={keySetupCommand(url, created?.key)} label="ccag setup command" />
      <p className="field-hint">
        It merges the gateway URL and the key into <code>~/.claude/settings.json</code>. Add <code>--dry-run</code> to see the change first, or pass{' '}
        <code>--key -</code> to read the key from standard input and keep it out of your shell history.
      </p>
      <h3 className="subheading">Without the CLI</h3>
      <p>
        Merge this into <code>~/.claude/settings.json</code>:
      </p>
      <CodeBlock code={keySettings(url, created?.key)} label="settings.json for a virtual key" />
    </>
  );
}
