import { type DoraSettings, type LeadTimeBasis, WINDOW_DAYS } from '@dora/domain';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMe } from '../../auth/api/me';
import { useSettings, useUpdateSettings } from '../api/settings';
import { checkTimeZone, savedMessage } from '../utils/settings-changes';
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
  const id = useId();
  // What "changed" means: the settings as the form opened with them, then as last saved.
  const [baseline, setBaseline] = useState(current);
  const [saved, setSaved] = useState<string | undefined>();
  const [windowDays, setWindowDays] = useState<number>(current.window_days);
  const [timezone, setTimezone] = useState(current.timezone);
  const [zoneProblem, setZoneProblem] = useState<string | undefined>();
  const [basis, setBasis] = useState<LeadTimeBasis>(current.lead_time_basis);
  const [maxDays, setMaxDays] = useState(current.max_token_lifetime_days === null ? '' : String(current.max_token_lifetime_days));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    const zone = checkTimeZone(timezone);
    if ('problem' in zone) {
      setZoneProblem(zone.problem);
      return;
    }
    setTimezone(zone.zone);
    const change: DoraSettings = {
      window_days: windowDays as DoraSettings['window_days'],
      timezone: zone.zone,
      lead_time_basis: basis,
      max_token_lifetime_days: maxDays === '' ? null : Number(maxDays),
    };
    update.mutate(change, {
      onSuccess: (after) => {
        setSaved(savedMessage(baseline, after));
        setBaseline(after);
      },
    });
  };
  return (
    <form onSubmit={submit} className="stack">
      {!editable && <p>Only an admin of this organisation can change these.</p>}
      <Field id={`${id}-window`} label="Default window" hint="The days each metric counts back from today when a page does not choose a window itself. In days.">
        {(describedBy) => (
          <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))} disabled={!editable} aria-describedby={describedBy}>
            {WINDOW_DAYS.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={`${id}-zone`}
        label="Time zone"
        hint="Where a day begins: the days of the sparklines and trends start at midnight in this zone. An IANA name, such as Europe/Berlin or UTC."
        problem={zoneProblem}
      >
        {(describedBy) => (
          <>
            <input
              list={`${id}-zones`}
              value={timezone}
              onChange={(e) => {
                setTimezone(e.target.value);
                setZoneProblem(undefined);
              }}
              disabled={!editable}
              required
              aria-invalid={zoneProblem ? true : undefined}
              aria-describedby={describedBy}
            />
            <datalist id={`${id}-zones`}>
              {TIME_ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field
        id={`${id}-basis`}
        label="Lead time headline"
        hint="Which lead time the DORA page’s lead time card, its trend and the lead time badge show first, with its band; the card shows the other as its second line. No data changes, only which figure leads."
      >
        {(describedBy) => (
          <select value={basis} onChange={(e) => setBasis(e.target.value as LeadTimeBasis)} disabled={!editable} aria-describedby={describedBy}>
            <option value="deployment">Per deployment: each deploy's head commit (DORA's published definition)</option>
            <option value="change">Per change: every commit shipped, once, at its first successful deploy</option>
          </select>
        )}
      </Field>
      <Field
        id={`${id}-lifetime`}
        label="Longest API token lifetime (days)"
        hint="The most days an API token may live, counted from when it was minted; 1 to 3650, empty for no limit. It applies at once to the tokens there are: one older than this stops working (rotate it or mint a new one), and a new token must expire within it. Badge keys are not affected."
      >
        {(describedBy) => (
          <input type="number" min={1} max={3650} value={maxDays} onChange={(e) => setMaxDays(e.target.value)} disabled={!editable} aria-describedby={describedBy} />
        )}
      </Field>
      <ErrorMessage error={update.error} />
      {update.isSuccess && saved && (
        <p role="status" className="ok">
          {saved}
        </p>
      )}
      {editable && (
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      )}
    </form>
  );
}

/** A labelled control with the hint that says what it changes (and the reason it was refused, if it was), both linked by aria-describedby. */
function Field({ id, label, hint, problem, children }: { id: string; label: string; hint: string; problem?: string; children: (describedBy: string) => ReactNode }) {
  const [hintId, problemId] = [`${id}-hint`, `${id}-problem`];
  return (
    <div>
      <label>
        {label}
        {children(problem ? `${hintId} ${problemId}` : hintId)}
      </label>
      <p id={hintId} className="hint">
        {hint}
      </p>
      {problem && (
        <p id={problemId} role="alert" className="error">
          {problem}
        </p>
      )}
    </div>
  );
}
