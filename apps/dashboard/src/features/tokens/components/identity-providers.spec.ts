import { describe, expect, it } from 'vitest';
import { parseClaims } from './identity-providers';

describe('parseClaims', () => {
  it('reads name=value lines, values with "=" and globs included', () => {
    expect(parseClaims('repository_owner=acme\n  ref = refs/heads/*  \n\nworkflow_ref=acme/ci/.forgejo/deploy.yml@refs/heads/main\nlabel=a=b')).toEqual({
      repository_owner: 'acme',
      ref: 'refs/heads/*',
      workflow_ref: 'acme/ci/.forgejo/deploy.yml@refs/heads/main',
      label: 'a=b',
    });
  });

  it('keeps a line without a value, for the API to refuse by name', () => {
    expect(parseClaims('environment')).toEqual({ environment: '' });
  });
});
