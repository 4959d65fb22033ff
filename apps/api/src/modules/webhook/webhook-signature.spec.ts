import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { signedPayload, verifySignature } from './webhook-signature.js';

const secret = 's3cr3t-forgejo-hook';
const body = Buffer.from('{"action":"published"}');
const hex = '5a99babfa974de92955f00468b0c4f1704097b1e799dc929287b0ead75463f7e'; // the fixtures README's second check

describe('webhook signatures', () => {
  it('accept the HMAC-SHA256 hex in any of the three headers, the first present deciding', () => {
    expect(createHmac('sha256', secret).update(body).digest('hex')).toBe(hex);
    expect(() => verifySignature(secret, body, { 'x-forgejo-signature': hex })).not.toThrow();
    expect(() => verifySignature(secret, body, { 'x-gitea-signature': hex.toUpperCase() })).not.toThrow();
    expect(() => verifySignature(secret, body, { 'x-hub-signature-256': `sha256=${hex}` })).not.toThrow();
    expect(() => verifySignature(secret, body, { 'x-forgejo-signature': '0'.repeat(64), 'x-hub-signature-256': `sha256=${hex}` })).toThrow(/does not match/);
  });

  it('refuse missing, empty, short and wrong signatures', () => {
    expect(() => verifySignature(secret, body, {})).toThrow(/Missing signature/);
    expect(() => verifySignature(secret, body, { 'x-forgejo-signature': '' })).toThrow(/Missing signature/);
    expect(() => verifySignature(secret, body, { 'x-forgejo-signature': hex.slice(2) })).toThrow(/does not match/);
    expect(() => verifySignature('other', body, { 'x-forgejo-signature': hex })).toThrow(/does not match/);
  });

  it('cover the JSON of a form delivery, not its url-encoded body', () => {
    const form = Buffer.from(`payload=${encodeURIComponent(body.toString())}`);
    expect(signedPayload({ 'content-type': 'application/x-www-form-urlencoded' }, form)).toEqual(body);
    expect(signedPayload({ 'content-type': 'application/json' }, body)).toBe(body);
  });
});
