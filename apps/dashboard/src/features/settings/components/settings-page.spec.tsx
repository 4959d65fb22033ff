import type { DoraSettings } from '@dora/domain';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { meQuery } from '../../auth/api/me';
import { meAs } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { SettingsPage } from './settings-page';

const path = '/api/v1/orgs/acme/dora/settings';
const loaded: DoraSettings = { window_days: 30, timezone: 'UTC', lead_time_basis: 'deployment', max_token_lifetime_days: null };

/** The settings API as the server keeps it: a PUT changes what the next GET answers, and answers the result. */
function settingsApi(initial: DoraSettings = loaded, role: 'admin' | 'viewer' = 'admin') {
  let stored = initial;
  return mockApi({
    '/api/v1/auth/me': meAs(role),
    [path]: (init) => {
      if (init?.method === 'PUT') stored = { ...stored, ...(JSON.parse(String(init.body)) as Partial<DoraSettings>) };
      return { status: 200, body: stored };
    },
  });
}

function renderSettings(role: 'admin' | 'viewer' = 'admin') {
  const rendered = renderAt('/acme/_admin/dora/settings', [{ path: '/:slug/_admin/dora/settings', element: <SettingsPage /> }]);
  rendered.client.setQueryData(meQuery.queryKey, meAs(role));
  return rendered;
}

/** The text of the elements an element's aria-describedby names, each of which must exist. */
function descriptionOf(element: HTMLElement): string[] {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids.map((id) => {
    const described = document.getElementById(id);
    expect(described, `#${id} exists`).not.toBeNull();
    return described!.textContent ?? '';
  });
}

const zoneField = () => screen.getByLabelText<HTMLInputElement>(/^Time zone/);
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }));
const puts = (calls: ReturnType<typeof mockApi>) => calls.filter((c) => c.method === 'PUT');

describe('SettingsPage', () => {
  it('says under every setting what it changes, in which unit, linked to its field', async () => {
    settingsApi();
    renderSettings();
    await screen.findByRole('button', { name: 'Save' });

    const [window] = descriptionOf(screen.getByLabelText(/^Default window/));
    expect(window).toMatch(/days each metric counts back from today when a page does not choose/);
    expect(window).toMatch(/In days\./);
    const [zone] = descriptionOf(zoneField());
    expect(zone).toMatch(/start at midnight in this zone/);
    expect(zone).toMatch(/IANA name, such as Europe\/Berlin/);
    const [basis] = descriptionOf(screen.getByLabelText(/^Lead time headline/));
    expect(basis).toMatch(/lead time card.*show first/);
    expect(basis).toMatch(/other as its second line/);
    const [lifetime] = descriptionOf(screen.getByLabelText(/^Longest API token lifetime/));
    expect(lifetime).toMatch(/most days an API token may live/);
    expect(lifetime).toMatch(/empty for no limit/);
    expect(lifetime).toMatch(/applies at once to the tokens there are: one older than this stops working/);
  });

  it('lists each changed setting, old → new, after a save, and compares the next save with what was saved', async () => {
    const calls = settingsApi();
    renderSettings();
    await screen.findByRole('button', { name: 'Save' });

    fireEvent.change(screen.getByLabelText(/^Default window/), { target: { value: '90' } });
    fireEvent.change(zoneField(), { target: { value: 'Europe/Berlin' } });
    fireEvent.change(screen.getByLabelText(/^Longest API token lifetime/), { target: { value: '90' } });
    save();
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe('Saved: default window 30 → 90 days; time zone UTC → Europe/Berlin; longest API token lifetime no limit → 90 days.');
    expect(puts(calls).map((c) => c.body)).toEqual([{ window_days: 90, timezone: 'Europe/Berlin', lead_time_basis: 'deployment', max_token_lifetime_days: 90 }]);

    // What was saved is the new baseline: saving it again changes nothing.
    save();
    await screen.findByText('Saved: nothing changed.');
    expect(puts(calls)).toHaveLength(2);

    fireEvent.change(screen.getByLabelText(/^Lead time headline/), { target: { value: 'change' } });
    fireEvent.change(screen.getByLabelText(/^Longest API token lifetime/), { target: { value: '' } });
    save();
    expect((await screen.findByText(/^Saved: lead time/)).textContent).toBe('Saved: lead time headline per deployment → per change; longest API token lifetime 90 days → no limit.');
  });

  it('refuses an unknown time zone next to its field without asking the API', async () => {
    const calls = settingsApi();
    renderSettings();
    await screen.findByRole('button', { name: 'Save' });

    fireEvent.change(zoneField(), { target: { value: 'Mars/Olympus' } });
    save();
    const problem = screen.getByRole('alert');
    expect(problem.textContent).toBe('“Mars/Olympus” is not a time zone: use an IANA name such as Europe/Berlin or UTC.');
    expect(zoneField().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(zoneField())).toContain(problem.textContent);
    expect(screen.queryByRole('status')).toBeNull();
    expect(puts(calls)).toEqual([]);

    // Typing again clears the refusal.
    fireEvent.change(zoneField(), { target: { value: 'Asia/Tokyo' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(zoneField().getAttribute('aria-invalid')).toBeNull();
  });

  it('sends a known time zone, and sends it as IANA spells it', async () => {
    const calls = settingsApi({ ...loaded, timezone: 'Europe/Berlin' });
    renderSettings();
    await screen.findByRole('button', { name: 'Save' });

    fireEvent.change(zoneField(), { target: { value: 'UTC' } });
    save();
    expect((await screen.findByRole('status')).textContent).toBe('Saved: time zone Europe/Berlin → UTC.');

    fireEvent.change(zoneField(), { target: { value: 'america/new_york' } });
    save();
    expect((await screen.findByText(/New_York/)).textContent).toBe('Saved: time zone UTC → America/New_York.');
    expect(puts(calls).map((c) => (c.body as DoraSettings).timezone)).toEqual(['UTC', 'America/New_York']);
    expect(zoneField().value).toBe('America/New_York');
  });

  it('shows a viewer the settings and their hints, without a way to change them', async () => {
    settingsApi(loaded, 'viewer');
    renderSettings('viewer');
    expect(await screen.findByText('Only an admin of this organisation can change these.')).toBeTruthy();
    expect(zoneField().disabled).toBe(true);
    expect(descriptionOf(zoneField())[0]).toMatch(/start at midnight/);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});
