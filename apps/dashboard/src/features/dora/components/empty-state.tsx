/** An org without deployments: how to send the first one, from a shell and from CI. */
export function EmptyState({ slug }: { slug: string }) {
  const origin = window.location.origin;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return (
    <section className="empty" aria-label="No deployments yet">
      <h2>No deployments yet</h2>
      <p>
        Report each deployment of <strong>{slug}</strong> with an API token that has <code>findings:write</code> (an admin mints one under
        Tokens). From a shell:
      </p>
      <pre>{`curl -X POST ${origin}/api/v1/dora/deployments \\
  -H "Authorization: Bearer $DORA_TOKEN" -H "Content-Type: application/json" \\
  -d '{"repo_full_name":"${slug}/web","environment":"production",
       "deployed_at":"${now}","commit_sha":"<sha>","committed_at":"<commit time>",
       "success":true,"external_ref":"<your pipeline run id>"}'`}</pre>
      <p>As the last step of a Forgejo or GitHub Actions deploy job:</p>
      <pre>{`- name: Report the deployment
  if: always()
  run: |
    curl -fsS -X POST ${origin}/api/v1/dora/deployments \\
      -H "Authorization: Bearer \${{ secrets.DORA_TOKEN }}" -H "Content-Type: application/json" \\
      -d "{\\"repo_full_name\\":\\"\${{ github.repository }}\\",\\"environment\\":\\"production\\",
           \\"deployed_at\\":\\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\\",\\"commit_sha\\":\\"\${{ github.sha }}\\",
           \\"committed_at\\":\\"$(git log -1 --format=%cI)\\",\\"success\\":\${{ job.status == 'success' }},
           \\"external_ref\\":\\"\${{ github.run_id }}-\${{ github.run_attempt }}\\"}"`}</pre>
      <p>Releases on Forgejo are picked up by the system webhook, when the operator has set it up.</p>
    </section>
  );
}
