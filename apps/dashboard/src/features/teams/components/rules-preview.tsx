import type { Team, TeamRulesPreview } from '@dora/domain';
import { ErrorMessage } from '../../../components/error-message';
import { teamLabel } from '../utils/team-label';
import { TableScroll } from '../../../components/table-scroll';

/** What the rules on screen would give each team (and leave unassigned), over the last 90 days of every environment. */
export function RulesPreview(props: { teams: Team[]; preview: TeamRulesPreview | undefined; error: Error | null; state: 'current' | 'updating' | 'invalid' }) {
  const { preview, state } = props;
  return (
    <section aria-labelledby="rules-preview-heading" aria-busy={state === 'updating'}>
      <h3 id="rules-preview-heading">What these rules would attribute</h3>
      <p className="hint">
        Deployments of the last 90 days, every environment; deployments whose ingest named a team are not the rules’ and are not counted.
        {state === 'updating' && ' Updating…'}
      </p>
      {state === 'invalid' && <p>Fix the rules marked above to see what they would match.</p>}
      <ErrorMessage error={props.error} prefix="No preview: " />
      {preview && state !== 'invalid' && (
        <TableScroll label="Preview of the rules">
          <table aria-label="Preview">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Deployments</th>
                <th scope="col">Repositories and services</th>
              </tr>
            </thead>
            <tbody>
              {preview.teams.map((row) => (
                <tr key={row.team ?? ''}>
                  <th scope="row">{teamLabel(row.team, props.teams)}</th>
                  <td>{row.deployments_90d}</td>
                  <td>
                    {row.targets_total === 0 ? (
                      '—'
                    ) : (
                      <ul className="targets">
                        {row.targets.map((target) => (
                          <li key={`${target.repo_full_name} ${target.service ?? ''}`}>
                            {target.repo_full_name}
                            {target.service !== null && ` · ${target.service}`} ({target.deployments_90d})
                          </li>
                        ))}
                        {row.targets_total > row.targets.length && <li>… and {row.targets_total - row.targets.length} more</li>}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
