import { type Team, type TeamRule, TeamRuleSet, type TeamRulesPreview } from '@dora/domain';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { meAs } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { TeamSettingsPage } from './team-settings-page';

const teamOf = (slug: string, name: string, rules = 0): Team => ({ slug, name, rules, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' });
const web = teamOf('web', 'Web team', 1);
const shop = teamOf('shop', 'Shop team');
/** The org's deployments of the last 90 days, by repo and service. */
const TARGETS = [
  { repo_full_name: 'acme/web', service: null, deployments_90d: 10 },
  { repo_full_name: 'acme/tools', service: null, deployments_90d: 3 },
  { repo_full_name: 'acme/mono', service: 'checkout', deployments_90d: 4 },
];

/** What the API answers for a proposed list: the same attribution, by the contract's own rule set. */
function previewOf(rules: TeamRule[], teams: Team[]): TeamRulesPreview {
  const set = new TeamRuleSet(rules);
  const shadowed = set.shadowedBy();
  const owned = (team: string | null) => TARGETS.filter((t) => set.teamOf(t.repo_full_name, t.service) === team);
  return {
    rules: rules.map((rule, i) => ({
      ...rule,
      position: i,
      shadowed_by: shadowed[i]!,
      deployments_90d: TARGETS.filter((t) => set.ruleFor(t.repo_full_name, t.service) === i).reduce((sum, t) => sum + t.deployments_90d, 0),
    })),
    teams: [...teams.map((t) => t.slug), null].map((team) => ({
      team,
      deployments_90d: owned(team).reduce((sum, t) => sum + t.deployments_90d, 0),
      targets_total: owned(team).length,
      targets: owned(team),
    })),
  };
}

function renderSettings(options: { teams?: Team[]; rules?: TeamRule[]; role?: 'admin' | 'viewer'; preview?: () => { status: number; body: unknown } } = {}) {
  let teams = options.teams ?? [web, shop];
  let saved = options.rules ?? [{ team: 'web', repo: 'acme/web', service: null }];
  const ruleItems = () => previewOf(saved, teams).rules;
  const calls = mockApi({
    '/api/v1/auth/me': meAs(options.role ?? 'admin'),
    '/api/v1/orgs/acme/teams': (init) => {
      if (init?.method !== 'POST') return { status: 200, body: { items: teams } };
      const body = JSON.parse(String(init.body)) as { slug: string; name: string };
      teams = [...teams, teamOf(body.slug, body.name)];
      return { status: 201, body: teams.at(-1) };
    },
    '/api/v1/orgs/acme/teams/rules': (init) => {
      if (init?.method === 'PUT') saved = (JSON.parse(String(init.body)) as { rules: TeamRule[] }).rules;
      return { status: 200, body: { items: ruleItems() } };
    },
    '/api/v1/orgs/acme/teams/rules/preview': (init) => options.preview?.() ?? { status: 200, body: previewOf((JSON.parse(String(init!.body)) as { rules: TeamRule[] }).rules, teams) },
    '/api/v1/orgs/acme/teams/web': (init) => ({ status: 200, body: { ...web, ...(JSON.parse(String(init!.body)) as object) } }),
    '/api/v1/orgs/acme/teams/shop': () => {
      teams = teams.filter((t) => t.slug !== 'shop');
      return { status: 204, body: null };
    },
  });
  const rendered = renderAt('/acme/_admin/dora/settings/teams', [{ path: '/:slug/_admin/dora/settings/teams', element: <TeamSettingsPage /> }]);
  rendered.client.setQueryData(['me'], meAs(options.role ?? 'admin'));
  return { calls, ...rendered };
}

const rule = (n: number) => screen.getByRole('group', { name: `Rule ${n}` });
const previewRow = (team: string) => within(screen.getByRole('table', { name: 'Preview' })).getByRole('rowheader', { name: team }).closest('tr')!;
const previews = (calls: { path: string; body?: unknown }[]) => calls.filter((c) => c.path.endsWith('/rules/preview')).map((c) => (c.body as { rules: TeamRule[] }).rules);
/** The preview waits for typing to pause: longer than the debounce, on a busy machine. */
const PREVIEW = { timeout: 5_000 };

describe('TeamSettingsPage', () => {
  it('explains teams while there are none, and creates one with a slug offered from its name', async () => {
    const { calls } = renderSettings({ teams: [], rules: [] });
    expect(await screen.findByRole('region', { name: 'No teams yet' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Rules' })).toBeNull();

    const form = screen.getByRole('form', { name: 'Create a team' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Payments & Billing' } });
    expect(within(form).getByLabelText<HTMLInputElement>('Slug').value).toBe('payments-billing');
    fireEvent.click(within(form).getByRole('button', { name: 'Create team' }));

    expect(await screen.findByRole('rowheader', { name: 'Payments & Billing' })).toBeTruthy();
    const create = calls.find((c) => c.method === 'POST')!;
    expect(create).toMatchObject({ path: '/api/v1/orgs/acme/teams', body: { slug: 'payments-billing', name: 'Payments & Billing' } });
    expect(create.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
    expect(await screen.findByRole('heading', { name: 'Rules' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'No teams yet' })).toBeNull();
    expect(within(form).getByLabelText<HTMLInputElement>('Name').value).toBe('');
  });

  it('refuses a reserved or malformed slug without asking the API', async () => {
    const { calls } = renderSettings();
    const form = await screen.findByRole('form', { name: 'Create a team' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Leftovers' } });
    fireEvent.change(within(form).getByLabelText('Slug'), { target: { value: 'unassigned' } });
    expect(within(form).getByText('The slug is reserved (rules, preview, unassigned).')).toBeTruthy();
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Create team' }).disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Slug'), { target: { value: 'Left Overs' } });
    expect(within(form).getByText(/The slug must be 1-63 lowercase letters/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/teams'))).toEqual([]);
  });

  it('renames a team in place and deletes one once confirmed', async () => {
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    const { calls } = renderSettings();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename Web team' }));
    const form = screen.getByRole('form', { name: 'Rename Web team' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Web platform' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Rename Web team' })).toBeNull());
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/api/v1/orgs/acme/teams/web', body: { name: 'Web platform' } });

    fireEvent.click(screen.getByRole('button', { name: 'Delete Shop team' }));
    expect(confirm).toHaveBeenCalledWith('Delete the team “Shop team”? Its 0 rules go with it, and its deployments fall to the remaining rules.');
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Shop team' })).toBeNull());
    expect(calls.find((c) => c.method === 'DELETE')).toMatchObject({ path: '/api/v1/orgs/acme/teams/shop' });
  });

  it('edits the ordered rules with a preview of what they match, warns of a rule that can never match, and saves the list in order', async () => {
    const { calls } = renderSettings();
    // The saved list, previewed as it is.
    await waitFor(() => expect(within(previewRow('Web team')).getAllByRole('cell')[0]!.textContent).toBe('10'), PREVIEW);
    expect(within(rule(1)).getByText('10 deployments in the last 90 days')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Add a rule' }));
    expect(within(rule(2)).getByText('Choose a team.')).toBeTruthy();
    expect(screen.getByText('Fix the rules marked above to see what they would match.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save rules' }).disabled).toBe(true);

    fireEvent.change(within(rule(2)).getByLabelText('Team'), { target: { value: 'shop' } });
    for (const typed of ['a', 'ac', 'acme', 'acme/*']) fireEvent.change(within(rule(2)).getByLabelText('Repository pattern'), { target: { value: typed } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a rule' }));
    fireEvent.change(within(rule(3)).getByLabelText('Team'), { target: { value: 'web' } });
    fireEvent.change(within(rule(3)).getByLabelText('Repository pattern'), { target: { value: 'acme/tools' } });
    // Known without the API: acme/* takes everything acme/tools would.
    expect(within(rule(3)).getByText(/Never matches: rule 2 above takes every deployment this one would/)).toBeTruthy();
    await waitFor(() => expect(within(rule(3)).getByText('0 deployments in the last 90 days')).toBeTruthy(), PREVIEW);
    expect(within(previewRow('Shop team')).getByText(/acme\/tools \(3\)/)).toBeTruthy();

    fireEvent.click(within(rule(3)).getByRole('button', { name: 'Move rule 3 up' }));
    expect(within(rule(2)).getByLabelText<HTMLInputElement>('Repository pattern').value).toBe('acme/tools');
    expect(screen.queryByText(/Never matches/)).toBeNull();
    await waitFor(() => expect(within(previewRow('Web team')).getAllByRole('cell')[0]!.textContent).toBe('13'), PREVIEW);
    expect(within(previewRow('Shop team')).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['4', 'acme/mono · checkout (4)']);
    expect(within(previewRow('Unassigned')).getAllByRole('cell')[0]!.textContent).toBe('0');
    // One preview per pause in typing, none for the half-typed patterns.
    expect(previews(calls).flatMap((rules) => rules.map((r) => r.repo))).not.toContain('ac');

    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(await screen.findByText('Saved: every deployment was attributed again.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({
      rules: [
        { team: 'web', repo: 'acme/web', service: null },
        { team: 'web', repo: 'acme/tools', service: null },
        { team: 'shop', repo: 'acme/*', service: null },
      ],
    });
    expect(put.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save rules' }).disabled).toBe(true);
  });

  it('keeps a service pattern, removes a rule, and discards unsaved changes', async () => {
    renderSettings({ rules: [{ team: 'shop', repo: 'acme/mono', service: 'checkout' }] });
    expect(await screen.findByText('4 deployments in the last 90 days', {}, PREVIEW)).toBeTruthy();
    expect(within(rule(1)).getByLabelText<HTMLInputElement>('Service pattern (optional)').value).toBe('checkout');
    fireEvent.click(within(rule(1)).getByRole('button', { name: 'Remove rule 1' }));
    expect(screen.queryByRole('group', { name: 'Rule 1' })).toBeNull();
    expect(screen.getByText(/No rules yet/)).toBeTruthy();
    await waitFor(() => expect(within(previewRow('Unassigned')).getAllByRole('cell')[0]!.textContent).toBe('17'), PREVIEW);
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(within(rule(1)).getByLabelText<HTMLInputElement>('Repository pattern').value).toBe('acme/mono');
  });

  it('shows the API’s refusal of a rule on that rule', async () => {
    const refusal = { error: { code: 'validation_failed', message: 'rules.0.team: no team "gone" in this org', details: [{ field: 'rules.0.team', message: 'no team "gone" in this org' }] } };
    renderSettings({ rules: [{ team: 'gone', repo: 'acme/*', service: null }], preview: () => ({ status: 400, body: refusal }) });
    expect(await within(await screen.findByRole('group', { name: 'Rule 1' })).findByText('team: no team "gone" in this org')).toBeTruthy();
    expect(within(rule(1)).getByRole('option', { name: 'gone (no such team)' })).toBeTruthy();
  });

  it('changes nothing for a viewer', async () => {
    renderSettings({ role: 'viewer' });
    expect(await screen.findByText('Only an admin of this organisation can change its teams and their rules.')).toBeTruthy();
    expect(screen.queryByRole('form')).toBeNull();
  });
});
