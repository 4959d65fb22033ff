import type { ServiceStatus } from '@dora/domain';
import { Link } from 'react-router';
import { useStatus } from '../api/get-status';
import { ErrorMessage } from '../../../components/error-message';
import { OrgForm } from './org-form';

/** The landing page: is the service up and on which database, the way to an org's sign-in, and how to report a deployment. */
export function StatusPage() {
  const status = useStatus();
  return (
    <main className="page">
      <h1>DORA metrics</h1>
      {status.isPending && <p role="status">Checking the service…</p>}
      <ErrorMessage error={status.error} prefix="The service does not answer: " />
      {status.data && (
        <>
          <p role="status" className="ok">
            The service is up (version {status.data.version}).
          </p>
          <p>
            Database:{' '}
            {status.data.database === 'embedded'
              ? 'embedded PostgreSQL — for trying and development; set DATABASE_URL for production.'
              : 'PostgreSQL.'}
          </p>
        </>
      )}
      <OrgForm />
      {status.data?.orgs && <OrgDirectory orgs={status.data.orgs} />}
      {status.data && (
        <>
          <h2>Report a deployment</h2>
          <pre>{`curl -X POST ${window.location.origin}/api/v1/dora/deployments \\
  -H "Authorization: Bearer <token with findings:write>" \\
  -H "Content-Type: application/json" \\
  -d '{"repo_full_name":"<org>/<repo>","environment":"production","deployed_at":"<RFC 3339 time>"}'`}</pre>
        </>
      )}
    </main>
  );
}

/** Every org, only when the operator made the directory public (PUBLIC_ORG_DIRECTORY=true). */
function OrgDirectory({ orgs }: { orgs: NonNullable<ServiceStatus['orgs']> }) {
  return (
    <>
      <h2>Organisations</h2>
      {orgs.length === 0 ? (
        <p>
          No organisation yet. Create one with <code>npm run dora -- orgs:create &lt;slug&gt; --name "&lt;name&gt;"</code>.
        </p>
      ) : (
        <ul aria-label="Organisations">
          {orgs.map((org) => (
            <li key={org.slug}>
              <Link to={`/${org.slug}/_admin/dora`}>
                <strong>{org.name}</strong> <code>{org.slug}</code>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
