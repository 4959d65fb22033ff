import { describe, expect, it } from 'vitest';
import { badgeAlt, badgeMarkdown, badgeUrl } from './badge-markdown';

const origin = 'https://dora.example.com';

describe('badgeUrl', () => {
  it('names the metric, the repository and the environment given, then the key', () => {
    expect(badgeUrl(origin, 'acme', { metric: 'lead_time', repo: ' acme/web ', environment: 'production' }, 'fbk_abc')).toBe(
      'https://dora.example.com/api/v1/orgs/acme/dora/badge.svg?metric=lead_time&repo=acme/web&environment=production&key=fbk_abc',
    );
  });

  it('leaves out what is empty, and encodes what a URL cannot hold', () => {
    expect(badgeUrl(origin, 'acme', { metric: 'rework_rate', repo: '', environment: '' }, 'fbk_a+b')).toBe(
      'https://dora.example.com/api/v1/orgs/acme/dora/badge.svg?metric=rework_rate&key=fbk_a%2Bb',
    );
    expect(badgeUrl(origin, 'acme', { metric: 'rework_rate', repo: 'a&b/c', environment: 'pre prod' }, 'k')).toContain('repo=a%26b/c&environment=pre%20prod&');
  });

  it('holds a placeholder where no key is known', () => {
    expect(badgeUrl(origin, 'acme', { metric: 'lead_time', repo: '', environment: 'production' }, undefined)).toMatch(/&key=<your key>$/);
  });
});

describe('badgeMarkdown and badgeAlt', () => {
  it('say what the badge shows', () => {
    const choice = { metric: 'change_failure_rate', repo: '', environment: '' } as const;
    expect(badgeMarkdown(origin, 'acme', choice, 'k')).toBe('![Change failure rate](https://dora.example.com/api/v1/orgs/acme/dora/badge.svg?metric=change_failure_rate&key=k)');
    expect(badgeAlt(choice)).toBe('Change failure rate badge of the whole org in production');
  });
});
