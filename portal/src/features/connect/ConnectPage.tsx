/**
 * Connect: Claude Code set up against this gateway in one step, three ways, the simplest first —
 * Claude Code's own `/login` (2.1.195+), a virtual key, or single sign-on through the ccag CLI
 * (offered only when an identity provider is enabled) — then how to check it works.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import type { IdentityProviderLink } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { gatewayBase } from '../../lib/shell.js';
import { apiKeyHelperCommand, baseUrlSettings, CHECK_COMMAND, gatewayLoginCommand, ssoCommands } from './connect-snippets.js';
import { KeyConnect } from './KeyConnect.js';

export default function ConnectPage() {
  const { session } = useSession();
  const url = gatewayBase(session.gateway_url);
  // The same public list the sign-in screen reads: only enabled providers.
  const providers = useQuery({ queryKey: ['auth', 'providers'], queryFn: () => api.get<{ data: IdentityProviderLink[] }>('/auth/providers') });
  const idps = providers.data?.data ?? [];

  return (
    <>
      <PageHeader
        title="Connect"
        description={
          <>
            Set Claude Code up to use this gateway, <span className="mono">{url}</span>. Pick one way; the first is the simplest.
          </>
        }
      />

      <Section id="connect-login" title="Sign in from Claude Code" description="Recommended. Needs Claude Code 2.1.195 or later; no key or config file.">
        <ol className="steps">
          <li>
            Start Claude Code against the gateway:
            <CodeBlock code={gatewayLoginCommand(url)} label="Start Claude Code with the gateway" />
          </li>
          <li>
            Type <code>/login</code>. Claude Code shows a link and a code: open the link, check that the code matches, sign in
            {idps.length > 0 ? ' (single sign-on or your CCAG password)' : ' with your CCAG password'} and approve.
          </li>
          <li>
            Done. Claude Code keeps the session and refreshes it by itself; if the sign-in ends (revoked, or your account deactivated) it asks you to{' '}
            <code>/login</code> again.
          </li>
        </ol>
        <p>
          To use the gateway in every session without the variable, merge this into <code>~/.claude/settings.json</code>:
        </p>
        <CodeBlock code={baseUrlSettings(url)} label="settings.json with the gateway URL" />
      </Section>

      <Section id="connect-key" title="Use a virtual key" description="Works with any Claude Code version. The key acts as you: its usage and budget are yours.">
        <KeyConnect url={url} />
      </Section>

      {idps.length > 0 ? (
        <Section
          id="connect-sso"
          title="Single sign-on with the ccag CLI"
          description={`For Claude Code before 2.1.195: the CLI signs you in through ${idps.map((idp) => idp.display_name).join(' or ')} and hands Claude Code a fresh token whenever it asks.`}
        >
          <CodeBlock code={ssoCommands(url)} label="ccag single sign-on commands" />
          <p className="field-hint">
            The first command opens the browser sign-in. The second sets <code>apiKeyHelper</code> to <code>{apiKeyHelperCommand(url)}</code> and{' '}
            <code>env.ANTHROPIC_BASE_URL</code> in <code>~/.claude/settings.json</code>.
          </p>
        </Section>
      ) : null}

      <Section id="connect-check" title="Check that it works">
        <CodeBlock code={CHECK_COMMAND} label="Test request" />
        <p>
          Claude Code should answer in a few seconds, and the request shows up under <Link to="/usage">Usage</Link> shortly after.
        </p>
      </Section>
    </>
  );
}
