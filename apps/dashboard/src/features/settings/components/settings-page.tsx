import { type DoraSettings, type LeadTimeBasis, WINDOW_DAYS } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMe } from '../../auth/api/me';
import { useSettings, useUpdateSettings } from '../api/settings';
import { ErrorMessage } from '../../../components/error-message';

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** `/{slug}/_admin/dora/settings`: the default window, the time zone the days are cut in, the lead time headline and the token lifetime policy (admins change them). */
export function SettingsPage() {
  const { slug = '' } = useParams();
  const settings = useSettings(slug);
  const isAdmin = useMe().data?.orgs.find((o) => o.slug === slug)?.role === 'admin';
  return (
    <main className="page narrow">
      <h1>Settings</h1>
      {settings.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={settings.error} />
      {settings.isSuccess && <SettingsForm slug={slug} current={settings.data} editable={isAdmin} />}
      {isAdmin && (
        <p>
          <Link to={`/${slug}/_admin/dora/settings/teams`}>Teams and the rules that give them deployments</Link>
        </p>
      )}
    </main>
  );
}

function SettingsForm({ slug, current, editable }: { slug: string; current: DoraSettings; editable: boolean }) {
  const update = useUpdateSettings(slug);
  const [windowDays, setWindowDays] = useState<number>(current.window_days);
  const [timezone, setTimezone] = useState(current.timezone);
  const [basis, setBasis] = useState<LeadTimeBasis>(current.lead_time_basis);
  const [maxDays, setMaxDays] = useState(current.max_token_lifetime_days === null ? '' : String(current.max_token_lifetime_days));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ window_days: windowDays as DoraSettings['window_days'], timezone, lead_time_basis: basis, max_token_lifetime_days: maxDays === '' ? null : Number(maxDays) });
  };
  return (
    <form onSubmit={submit} className="stack">
      {!editable && <p>Only an admin of this organisation can change these.</p>}
      <label>
        Default window
        <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))} disabled={!editable}>
          {WINDOW_DAYS.map((days) => (
            <option key={days} value={days}>
              {days} days
            </option>
          ))}
        </select>
      </label>
      <label>
        Time zone (days of the sparklines start at its midnight)
        <input list="time-zones" value={timezone} onChange={(e) => setTimezone(e.target.value)} disabled={!editable} required />
        <datalist id="time-zones">
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      <label>
        Lead time headline (the card shows the other as its second line)
        <select value={basis} onChange={(e) => setBasis(e.target.value as LeadTimeBasis)} disabled={!editable}>
          <option value="deployment">Per deployment: each deploy's head commit (DORA's published definition)</option>
          <option value="change">Per change: every commit shipped, once, at its first successful deploy</option>
        </select>
      </label>
      <label>
        Longest API token lifetime, in days (empty: no limit)
        <input type="number" min={1} max={3650} value={maxDays} onChange={(e) => setMaxDays(e.target.value)} disabled={!editable} />
      </label>
      <ErrorMessage error={update.error} />
      {update.isSuccess && <p role="status" className="ok">Saved.</p>}
      {editable && (
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      )}
    </form>
  );
}
