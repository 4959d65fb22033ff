import { useEffect } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { ErrorMessage } from '../components/error-message';
import { ThemeSelect } from '../components/theme-select';
import { ApiError } from '../lib/api-client';
import { useMe } from '../features/auth/api/me';
import { useLogout } from '../features/auth/api/logout';
import { rememberOrg } from '../lib/last-org';

/** Signed-in pages of one org: the header with its navigation, or the way to sign in. */
export function AdminLayout() {
  const { slug = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  const logout = useLogout();
  const opened = me.data?.orgs.some((o) => o.slug === slug) ?? false;

  // The landing page no longer lists the orgs: it offers the one opened last.
  useEffect(() => {
    if (opened) rememberOrg(slug);
  }, [opened, slug]);

  if (me.isPending) return <p className="page" role="status">Loading…</p>;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
    }
    return (
      <main className="page">
        <ErrorMessage error={me.error} prefix="The service does not answer: " />
      </main>
    );
  }
  const org = me.data.orgs.find((o) => o.slug === slug);
  const isAdmin = org?.role === 'admin';
  const signOut = () => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <>
      <header className="topbar">
        <nav aria-label="Main">
          <strong className="brand">{org ? org.name : slug}</strong>
          {org && (
            <>
              <NavLink to={`/${slug}/_admin/dora`} end>
                DORA
              </NavLink>
              <NavLink to={`/${slug}/_admin/dora/trends`}>Trends</NavLink>
              <NavLink to={`/${slug}/_admin/dora/repos`}>Repos</NavLink>
              <NavLink to={`/${slug}/_admin/dora/teams`}>Teams</NavLink>
              <NavLink to={`/${slug}/_admin/dora/deployments`}>Deployments</NavLink>
              <NavLink to={`/${slug}/_admin/audit`}>Audit log</NavLink>
              {isAdmin && <NavLink to={`/${slug}/_admin/tokens`}>Tokens</NavLink>}
              {isAdmin && <NavLink to={`/${slug}/_admin/badges`}>Badges</NavLink>}
              {isAdmin && <NavLink to={`/${slug}/_admin/webhooks`}>Webhooks</NavLink>}
              <NavLink to={`/${slug}/_admin/dora/settings`}>Settings</NavLink>
            </>
          )}
        </nav>
        <div className="who">
          {me.data.orgs.length > 1 && (
            <label>
              <span className="visually-hidden">Organisation</span>
              <select value={org ? slug : ''} onChange={(e) => void navigate(`/${e.target.value}/_admin/dora`)}>
                {!org && <option value="">—</option>}
                {me.data.orgs.map((o) => (
                  <option key={o.slug} value={o.slug}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ThemeSelect />
          <span>{me.data.user.email}</span>
          <button type="button" onClick={signOut} disabled={logout.isPending}>
            Sign out
          </button>
        </div>
      </header>
      {org ? (
        <Outlet />
      ) : (
        <main className="page">
          <h1>No such organisation</h1>
          <p>
            There is no organisation “{slug}” among yours. <Link to={me.data.orgs[0] ? `/${me.data.orgs[0].slug}/_admin/dora` : '/'}>Go to yours</Link>
          </p>
        </main>
      )}
    </>
  );
}
