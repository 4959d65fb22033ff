import type { DoraSettings, LeadTimeBasis } from '@dora/domain';

/**
 * The time zone to send for what was typed, or why it is refused. The API knows PostgreSQL's zone names,
 * exactly as spelled; the browser's Intl knows the same IANA names, so it refuses a wrong one before the
 * request. A name Intl knows in another case ("europe/berlin") is sent as Intl spells it.
 */
export function checkTimeZone(text: string): { zone: string } | { problem: string } {
  const typed = text.trim();
  if (typed === '') return { problem: 'Enter a time zone: an IANA name such as Europe/Berlin or UTC.' };
  const refused = { problem: `“${typed}” is not a time zone: use an IANA name such as Europe/Berlin or UTC.` };
  // Newer engines take offsets ("+01:00") as zones; PostgreSQL's list of names does not.
  if (/^[+-]/.test(typed)) return refused;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: typed }).resolvedOptions().timeZone;
  } catch {
    return refused;
  }
  return { zone: resolved !== typed && resolved.toLowerCase() === typed.toLowerCase() ? resolved : typed };
}

const BASIS_WORDS: Record<LeadTimeBasis, string> = { deployment: 'per deployment', change: 'per change' };

const lifetime = (days: number | null) => (days === null ? 'no limit' : `${days} days`);

/** Each setting that differs between `before` and `after`, as "name old → new", in the form's order. */
export function settingsChanges(before: DoraSettings, after: DoraSettings): string[] {
  const changes: string[] = [];
  if (before.window_days !== after.window_days) changes.push(`default window ${before.window_days} → ${after.window_days} days`);
  if (before.timezone !== after.timezone) changes.push(`time zone ${before.timezone} → ${after.timezone}`);
  if (before.lead_time_basis !== after.lead_time_basis) changes.push(`lead time headline ${BASIS_WORDS[before.lead_time_basis]} → ${BASIS_WORDS[after.lead_time_basis]}`);
  const [oldDays, newDays] = [before.max_token_lifetime_days, after.max_token_lifetime_days];
  if (oldDays !== newDays) {
    // "30 → 90 days" when both are numbers; the unit on both sides when one is "no limit".
    const from = oldDays !== null && newDays !== null ? String(oldDays) : lifetime(oldDays);
    changes.push(`longest API token lifetime ${from} → ${lifetime(newDays)}`);
  }
  return changes;
}

/** What a save says: "Saved: time zone UTC → Europe/Berlin." or "Saved: nothing changed." */
export function savedMessage(before: DoraSettings, after: DoraSettings): string {
  const changes = settingsChanges(before, after);
  return changes.length === 0 ? 'Saved: nothing changed.' : `Saved: ${changes.join('; ')}.`;
}
