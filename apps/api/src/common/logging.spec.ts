import { describe, expect, it } from '@jest/globals';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { Writable } from 'node:stream';
import { httpLogger, loggableUrl } from './logging.js';

describe('request logs', () => {
  it('never show the value of a secret-bearing query parameter, however it is spelled', () => {
    expect(loggableUrl('/api/v1/orgs/acme/dora/badge.svg?metric=lead_time&key=fbk_abc&repo=acme/web')).toBe(
      '/api/v1/orgs/acme/dora/badge.svg?metric=lead_time&key=[redacted]&repo=acme/web',
    );
    expect(loggableUrl('/x?KEY=a&%6Bey=b&access_token=c&Token=d&subject_token=e&password=f&keys=kept&monkey=kept')).toBe(
      '/x?KEY=[redacted]&%6Bey=[redacted]&access_token=[redacted]&Token=[redacted]&subject_token=[redacted]&password=[redacted]&keys=kept&monkey=kept',
    );
    expect(loggableUrl('/x?key')).toBe('/x?key=[redacted]');
    expect(loggableUrl('/x?%E0%A4%A=1&environment=production')).toBe('/x?%E0%A4%A=1&environment=production');
    expect(loggableUrl('/api/v1/orgs/acme/dora/summary')).toBe('/api/v1/orgs/acme/dora/summary');
  });

  it('write the redacted URL in the line of a real request', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const app = express();
    app.use(httpLogger(pino({ level: 'info' }, sink)));
    app.get('/badge.svg', (_request, response) => void response.send('ok'));
    await request(app).get('/badge.svg?metric=deployment_frequency&key=fbk_0123456789').expect(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('fbk_0123456789');
    expect(JSON.parse(lines[0]!).req.url).toBe('/badge.svg?metric=deployment_frequency&key=[redacted]');
  });
});
