import { createBrowserRouter, Navigate } from 'react-router';
import { LoginPage } from '../features/auth/components/login-page';
import { StatusPage } from '../features/status/components/status-page';
import { AdminLayout } from './admin-layout';
import { NotFound } from './not-found';

/** Deep links work: every page is a route; the pages load on demand, charts and all. */
export function createRouter() {
  const lazyPage = <Name extends string>(load: () => Promise<Record<Name, React.ComponentType>>, name: Name) => ({
    lazy: async () => ({ Component: (await load())[name] }),
  });
  return createBrowserRouter([
    { path: '/', element: <StatusPage /> },
    { path: '/login', element: <LoginPage /> },
    {
      path: '/:slug/_admin',
      element: <AdminLayout />,
      children: [
        { index: true, element: <Navigate to="dora" replace /> },
        { path: 'dora', ...lazyPage(() => import('../features/dora/components/dora-page'), 'DoraPage') },
        { path: 'dora/repos', ...lazyPage(() => import('../features/dora/components/repos-page'), 'ReposPage') },
        { path: 'dora/repos/*', ...lazyPage(() => import('../features/dora/components/repo-page'), 'RepoPage') },
        { path: 'dora/teams', ...lazyPage(() => import('../features/teams/components/teams-page'), 'TeamsPage') },
        { path: 'dora/teams/:team', ...lazyPage(() => import('../features/teams/components/team-page'), 'TeamPage') },
        { path: 'dora/trends', ...lazyPage(() => import('../features/trends/components/trends-page'), 'TrendsPage') },
        { path: 'dora/deployments', ...lazyPage(() => import('../features/dora/components/deployments-page'), 'DeploymentsPage') },
        { path: 'dora/settings', ...lazyPage(() => import('../features/settings/components/settings-page'), 'SettingsPage') },
        // Not under dora/teams/: a team may be called "settings".
        { path: 'dora/settings/teams', ...lazyPage(() => import('../features/teams/components/team-settings-page'), 'TeamSettingsPage') },
        { path: 'tokens', ...lazyPage(() => import('../features/tokens/components/tokens-page'), 'TokensPage') },
        { path: 'badges', ...lazyPage(() => import('../features/badges/components/badges-page'), 'BadgesPage') },
        { path: 'audit', ...lazyPage(() => import('../features/audit/components/audit-page'), 'AuditPage') },
        { path: 'webhooks', ...lazyPage(() => import('../features/webhooks/components/webhooks-page'), 'WebhooksPage') },
        { path: '*', element: <NotFound /> },
      ],
    },
    { path: '*', element: <NotFound /> },
  ]);
}
