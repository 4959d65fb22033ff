import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { planDelivery } from './forgejo-payload.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/forgejo/${name}`, import.meta.url), 'utf8'));
const repo = { owner: 'acme', fullName: 'acme/webshop', name: 'webshop' };

describe('planDelivery', () => {
  it('turns a published release into a deployment on its tag, falling back to its target', () => {
    expect(planDelivery('release', fixture('release-published.json'))).toEqual({
      kind: 'release',
      releaseId: 118,
      tag: 'v1.4.0',
      targetCommitish: '4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9',
      createdAt: '2025-06-12T14:03:27+02:00',
      ...repo,
    });
    expect(planDelivery('release', fixture('release-published-from-tag.json'))).toMatchObject({ kind: 'release', releaseId: 122, targetCommitish: '' });
  });

  it('takes prereleases and updated releases (a draft published on an existing tag comes as "updated")', () => {
    expect(planDelivery('release', fixture('release-published-prerelease.json'))).toMatchObject({ kind: 'release', releaseId: 123, tag: 'v1.5.0-rc.1' });
    expect(planDelivery('release', fixture('release-updated.json'))).toMatchObject({ kind: 'release', releaseId: 118 });
  });

  it('skips drafts, deletions and the events it does not use, saying why', () => {
    expect(planDelivery('release', fixture('release-published-draft.json'))).toEqual({ kind: 'skip', reason: 'a draft release is not a deployment' });
    expect(planDelivery('release', fixture('release-deleted.json'))).toEqual({ kind: 'skip', reason: 'release deleted' });
    expect(planDelivery('push', fixture('push-tag.json'))).toEqual({ kind: 'skip', reason: 'push events are not used' });
    expect(planDelivery('issues', {})).toEqual({ kind: 'skip', reason: 'issues events are not used' });
  });

  it('turns a pushed v* tag into a deployment, whether the ref is full (forgejo) or short (gitea)', () => {
    const created = fixture('create-tag.json') as Record<string, unknown>;
    expect(planDelivery('create', created)).toEqual({ kind: 'tag', tag: 'v1.4.2', ...repo });
    expect(planDelivery('create', { ...created, ref: 'v1.4.2' })).toEqual({ kind: 'tag', tag: 'v1.4.2', ...repo });
    expect(planDelivery('create', { ...created, ref: 'refs/tags/nightly' })).toEqual({ kind: 'skip', reason: 'tag nightly does not start with "v"' });
    expect(planDelivery('create', { ...created, ref_type: 'branch', ref: 'feature' })).toMatchObject({ kind: 'skip' });
  });

  it('skips a payload without the fields it needs', () => {
    expect(planDelivery('release', null)).toMatchObject({ kind: 'skip' });
    expect(planDelivery('release', { action: 'published', release: { id: 1 }, repository: { owner: { login: 'acme' }, full_name: 'acme/x', name: 'x' } })).toMatchObject({
      kind: 'skip',
      reason: expect.stringContaining('tag_name'),
    });
  });
});
