import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../api/login';
import { ErrorMessage } from '../../../components/error-message';

/** Where a successful sign-in goes: the page asked for (same site only), else the first org's dashboard. */
export function safeNext(next: string | null, firstOrg: string | undefined): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  return firstOrg ? `/${firstOrg}/_admin/dora` : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess: (me) => void navigate(safeNext(params.get('next'), me.orgs[0]?.slug), { replace: true }) });
  };

  return (
    <main className="page narrow">
      <h1>Sign in</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorMessage error={login.error} />
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
