// A fake Forgejo for the webhook scenarios: answers a release's tag with a commit, or misbehaves on
// purpose (down, 500, garbage JSON, an answer only after a long delay).
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

export const WEBHOOK_SECRET = 'chaos-webhook-secret';

/** The commit a tag resolves to, always the same for the same tag. */
export function commitOf(tag) {
  return createHmac('sha1', 'commits').update(tag).digest('hex');
}

export async function startForgejo() {
  const sockets = new Set();
  const fake = { mode: 'ok', requests: 0, delayMs: 60_000, port: 0 };
  const server = createServer((request, response) => {
    fake.requests++;
    const url = new URL(request.url, 'http://fake');
    if (fake.mode === 'error') return void response.writeHead(500).end('{"message":"internal error"}');
    if (fake.mode === 'garbage') return void response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"sha": [unterminated');
    if (fake.mode === 'slow') return void setTimeout(() => answer(url, response), fake.delayMs).unref();
    answer(url, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = () => new Promise((resolve) => server.listen(fake.port, '127.0.0.1', resolve));
  await listen();
  fake.port = server.address().port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  /** Closes the port (connections refused) until `up()`. */
  fake.down = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  fake.up = listen;
  fake.stop = fake.down;
  return fake;
}

// Every repository has one old release, v1.0, so that each release's change set is its head commit and the
// one commit between v1.0 and it: every call of a release's processing is made, and can misbehave.
function answer(url, response) {
  const json = (body) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const path = /^\/api\/v1\/repos\/[^/]+\/[^/]+\/(commits|releases|compare\/([0-9a-f]+)\.\.\.([0-9a-f]+))$/.exec(url.pathname);
  if (path?.[1] === 'commits') return json([commitAt(commitOf(url.searchParams.get('sha')))]);
  if (path?.[1] === 'releases') {
    return json(url.searchParams.get('page') === '1' ? [{ id: 0, tag_name: 'v1.0', created_at: '2025-01-01T00:00:00Z', draft: false }] : []);
  }
  if (path?.[2]) return json({ total_commits: 2, commits: [commitAt(path[3]), commitAt(parentOf(path[3]))] });
  response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"not found"}');
}

function commitAt(sha) {
  return { sha, commit: { author: { date: '2026-01-01T10:00:00+01:00' } } };
}

/** The commit a release's change set ships besides its head. */
export function parentOf(sha) {
  return createHmac('sha1', 'parents').update(sha).digest('hex');
}

/** A signed Forgejo release delivery of `owner/repo`, tag `v1.<n>`. */
export function releaseDelivery(owner, repo, n) {
  const body = JSON.stringify({
    action: 'published',
    release: { id: n, tag_name: `v1.${n}`, target_commitish: 'main', draft: false, prerelease: false, created_at: new Date().toISOString() },
    repository: { id: 1, name: repo, full_name: `${owner}/${repo}`, owner: { login: owner } },
  });
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
  return { body, headers: { 'Content-Type': 'application/json', 'X-Forgejo-Event': 'release', 'X-Forgejo-Delivery': `chaos-${owner}-${n}`, 'X-Forgejo-Signature': signature } };
}
