import type { ReactNode } from 'react';

/** An org without teams: what a team is and how deployments get one; `children` say where the first is created. */
export function TeamsIntro({ slug, children }: { slug: string; children: ReactNode }) {
  return (
    <section className="empty" aria-label="No teams yet">
      <h2>No teams yet</h2>
      <p>
        A team owns a share of the organisation’s deployments. Its page shows the DORA metrics of exactly those, and every metrics page can be narrowed to
        one team.
      </p>
      <p>
        Deployments get their team from <strong>rules</strong>. A rule names a team and a repository pattern such as <code>{slug}/payments-*</code> (
        <code>*</code> stands for anything), and optionally a service pattern for the parts of a monorepo. The rules are ordered:{' '}
        <strong>the first rule that matches a deployment decides its team</strong>. Deployments that no rule matches are <em>Unassigned</em>.
      </p>
      <p>
        A deployment may also name its team when it is reported: send <code>"team"</code> (and <code>"service"</code>, for a monorepo) with it. A team named
        there wins over the rules.
      </p>
      <pre>{`{"repo_full_name":"${slug}/shop","environment":"production","deployed_at":"…",
 "service":"checkout","team":"payments"}`}</pre>
      {children}
    </section>
  );
}
