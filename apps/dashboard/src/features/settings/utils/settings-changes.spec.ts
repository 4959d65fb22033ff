import type { DoraSettings } from '@dora/domain';
import { describe, expect, it } from 'vitest';
import { checkTimeZone, savedMessage } from './settings-changes';

const settings: DoraSettings = { window_days: 30, timezone: 'UTC', lead_time_basis: 'deployment', max_token_lifetime_days: 30 };

describe('checkTimeZone', () => {
  it('takes IANA names as typed, UTC included', () => {
    expect(checkTimeZone('UTC')).toEqual({ zone: 'UTC' });
    expect(checkTimeZone(' Europe/Berlin ')).toEqual({ zone: 'Europe/Berlin' });
  });

  it('spells a known name the way IANA does (the API compares names exactly)', () => {
    expect(checkTimeZone('europe/berlin')).toEqual({ zone: 'Europe/Berlin' });
  });

  it('refuses what is no zone name, saying why', () => {
    expect(checkTimeZone('Mars/Olympus')).toEqual({ problem: '“Mars/Olympus” is not a time zone: use an IANA name such as Europe/Berlin or UTC.' });
    expect(checkTimeZone('+01:00')).toHaveProperty('problem');
    expect(checkTimeZone('  ')).toEqual({ problem: 'Enter a time zone: an IANA name such as Europe/Berlin or UTC.' });
  });
});

describe('savedMessage', () => {
  it('says nothing changed when nothing did', () => {
    expect(savedMessage(settings, { ...settings })).toBe('Saved: nothing changed.');
  });

  it('names each change with its unit, in the form’s order', () => {
    expect(savedMessage(settings, { window_days: 7, timezone: 'Europe/Berlin', lead_time_basis: 'change', max_token_lifetime_days: 90 })).toBe(
      'Saved: default window 30 → 7 days; time zone UTC → Europe/Berlin; lead time headline per deployment → per change; longest API token lifetime 30 → 90 days.',
    );
    expect(savedMessage(settings, { ...settings, max_token_lifetime_days: null })).toBe('Saved: longest API token lifetime 30 days → no limit.');
    expect(savedMessage({ ...settings, max_token_lifetime_days: null }, settings)).toBe('Saved: longest API token lifetime no limit → 30 days.');
  });
});
