import { useStatus } from '../api/get-status';
import { ErrorMessage } from '../../../components/error-message';

/** The landing page until sign-in exists: is the service up, on which database, and which orgs exist. */
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
          <h2>Organisations</h2>
          {status.data.orgs.length === 0 ? (
            <p>No organisation yet. Create one with <code>npm run dora -- orgs:create &lt;slug&gt; --name "&lt;name&gt;"</code>.</p>
          ) : (
            <ul aria-label="Organisations">
              {status.data.orgs.map((org) => (
                <li key={org.slug}>
                  <strong>{org.name}</strong> <code>{org.slug}</code>
                </li>
              ))}
            </ul>
          )}
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
