/**
 * The sign-in screen: one button per enabled identity provider (each goes through the gateway's
 * OIDC login and comes back to the page the visitor asked for) and the local password form.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, setCsrfToken } from '../../api/client.js';
import type { IdentityProviderLink, SessionInfo } from '../../api/types.js';
import { Brand } from '../../components/Brand.js';
import { FormError, TextField } from '../../components/Form.js';
import { SESSION_QUERY } from '../../app/session.js';
import { useAction } from '../../lib/use-action.js';

export function SignInPage() {
  const queryClient = useQueryClient();
  const providers = useQuery({ queryKey: ['auth', 'providers'], queryFn: () => api.get<{ data: IdentityProviderLink[] }>('/auth/providers') });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  // Stays set once signed in: the portal replaces this page a moment later, and until then the button must not offer to sign in again.
  const [signedIn, setSignedIn] = useState(false);
  const signingIn = busy || signedIn;
  const returnTo = window.location.pathname + window.location.search;

  function signIn(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const session = await api.post<SessionInfo>('/auth/login', { username, password });
      setCsrfToken(session.csrf_token);
      setSignedIn(true);
      queryClient.setQueryData(SESSION_QUERY, session);
    });
  }

  const idps = providers.data?.data ?? [];
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <Brand large />
        <h1>Sign in to continue</h1>
        <p className="page-description">The admin portal of your Claude Code gateway.</p>
        {idps.length > 0 ? (
          <div className="sso-buttons">
            {idps.map((idp) => (
              <a key={idp.name} className="button button-primary button-block" href={`${idp.login_url}?return_to=${encodeURIComponent(returnTo)}`}>
                Continue with {idp.display_name}
              </a>
            ))}
            <p className="divider">
              <span>or with a CCAG password</span>
            </p>
          </div>
        ) : null}
        <form onSubmit={signIn} noValidate={false}>
          <TextField label="Email or username" name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
          <FormError error={error} />
          <button type="submit" className="button button-primary button-block" disabled={signingIn}>
            {signingIn ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
