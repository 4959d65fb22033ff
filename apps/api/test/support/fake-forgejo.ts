import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const FIXTURES = new URL('../fixtures/forgejo/', import.meta.url);
export const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

/** A commit of the fake repository, with the refs that resolve to it. */
export interface FakeCommit {
  sha: string;
  authorDate: string;
  refs: string[];
}

const untagged = (label: string, authorDate: string): FakeCommit => ({ sha: createHash('sha1').update(label).digest('hex'), authorDate, refs: [] });

/**
 * The fixtures' repository, oldest commit first: the four tagged commits of the fixtures README ("Ref map
 * for a fake server") and untagged commits between them, so that each release has a change set.
 */
export function fixtureHistory(): FakeCommit[] {
  return [
    { sha: '4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9', authorDate: '2025-06-11T16:42:08-04:00', refs: ['v1.4.0'] },
    untagged('fix checkout rounding', '2025-06-14T10:00:00+02:00'),
    untagged('faster search', '2025-06-16T10:00:00+02:00'),
    { sha: '248a1cd0c1fbaaea21e6781670482e477c9b4299', authorDate: '2025-06-18T15:47:19+02:00', refs: ['v1.4.1', 'main'] },
    untagged('retry payments', '2025-06-19T10:00:00+02:00'),
    { sha: 'ff348a25462252bff5c20bf2c7726edd9a748aec', authorDate: '2025-06-20T11:31:02+02:00', refs: ['v1.4.2'] },
    untagged('new basket', '2025-06-21T10:00:00+02:00'),
    { sha: '16892323b91df63f62efcd1b2b0f526ecae1920f', authorDate: '2025-06-23T22:14:30+01:00', refs: ['v1.5.0-rc.1', 'release/1.5'] },
  ];
}

/** The published releases of the fixtures, as Forgejo lists them. */
function fixtureReleases(): Record<string, unknown>[] {
  return ['release-published.json', 'release-published-branch-target.json', 'release-published-from-tag.json', 'release-published-prerelease.json'].map(
    (name) => (JSON.parse(fixture(name).toString()) as { release: Record<string, unknown> }).release,
  );
}

export type FakeForgejoMode = 'ok' | 'error' | 'hang';

/**
 * A real HTTP server answering the commit, tag, release list and compare endpoints the way Forgejo does
 * (shapes from the fixtures, compact JSON with a trailing newline), and able to answer 500, hang, or
 * refuse connections.
 */
export class FakeForgejo {
  mode: FakeForgejoMode = 'ok';
  /** Refs it answers 404 for, as if they did not exist. */
  readonly missing = new Set<string>();
  /** Paths (matched) it answers 500 for while the rest works. */
  failing: RegExp | undefined;
  /** Paths (matched) it answers 404 for, as an instance without them would. */
  absent: RegExp | undefined;
  /** How long each answer takes. */
  delayMs = 0;
  /** Every repository's history, oldest commit first. */
  history: FakeCommit[] = fixtureHistory();
  /** Every repository's releases (Forgejo's `Release` objects). */
  releases: Record<string, unknown>[] = fixtureReleases();
  readonly requests: { path: string; authorization: string | undefined }[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.answer(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Closes the port: connections are refused until `start()` again (on the same port). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    this.requests.push({ path: `${url.pathname}${url.search}`, authorization: request.headers.authorization });
    if (this.mode === 'hang') return; // never answers
    if (this.delayMs > 0) setTimeout(() => this.respond(url, response), this.delayMs);
    else this.respond(url, response);
  }

  private respond(url: URL, response: ServerResponse): void {
    if (this.mode === 'error' || this.failing?.test(url.pathname)) return this.send(response, 500, { message: 'internal error' });
    if (this.absent?.test(url.pathname)) return this.send(response, 404, { message: 'not found', url: 'https://forge.example.com/api/swagger', errors: [] });

    const commits = /^\/api\/v1\/repos\/[^/]+\/[^/]+\/commits$/.exec(url.pathname);
    if (commits) {
      const commit = this.resolve(url.searchParams.get('sha') ?? '');
      if (!commit) return this.send(response, 404, null);
      return this.send(response, 200, [this.apiCommit(commit)]);
    }
    const tag = /^\/api\/v1\/repos\/[^/]+\/[^/]+\/tags\/(.+)$/.exec(url.pathname);
    if (tag) {
      const name = decodeURIComponent(tag[1]!);
      const commit = this.resolve(name);
      if (!commit || !commit.refs.includes(name)) return this.send(response, 404, { message: name, url: 'https://forge.example.com/api/swagger', errors: [] });
      if (name === 'v1.4.2') return this.send(response, 200, JSON.parse(fixture('api-tag.json').toString()));
      // The others are lightweight tags: the tag's id is its commit's.
      return this.send(response, 200, { name, message: '', id: commit.sha, commit: { url: '', sha: commit.sha, created: commit.authorDate } });
    }
    if (/^\/api\/v1\/repos\/[^/]+\/[^/]+\/releases$/.test(url.pathname)) return this.send(response, 200, this.releasePage(url.searchParams));
    const compare = /^\/api\/v1\/repos\/[^/]+\/[^/]+\/compare\/(.+)\.\.\.(.+)$/.exec(url.pathname);
    if (compare) {
      const [base, head] = [this.resolve(decodeURIComponent(compare[1]!)), this.resolve(decodeURIComponent(compare[2]!))];
      if (!base || !head) return this.send(response, 404, { message: 'not found', url: 'https://forge.example.com/api/swagger', errors: [] });
      // git log base..head on a linear history, newest first.
      const between = this.history.slice(this.history.indexOf(base) + 1, this.history.indexOf(head) + 1).reverse();
      return this.send(response, 200, { total_commits: between.length, commits: between.map((commit) => this.apiCommit(commit)), files: [] });
    }
    this.send(response, 404, { message: 'not found', url: 'https://forge.example.com/api/swagger', errors: [] });
  }

  private resolve(ref: string): FakeCommit | undefined {
    if (this.missing.has(ref)) return undefined;
    return this.history.find((commit) => commit.sha === ref || commit.refs.includes(ref));
  }

  private apiCommit(commit: FakeCommit): unknown {
    const [template] = JSON.parse(fixture('api-commits-list.json').toString()) as [Record<string, unknown> & { commit: { author: Record<string, unknown> } }];
    return { ...template, sha: commit.sha, commit: { ...template.commit, author: { ...template.commit.author, date: commit.authorDate } } };
  }

  /** Newest first by created_at, then id, as Forgejo orders them; `draft=false` leaves drafts out. */
  private releasePage(query: URLSearchParams): unknown[] {
    const limit = Number(query.get('limit') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const listed = this.releases
      .filter((release) => query.get('draft') !== 'false' || release.draft !== true)
      .sort((a, b) => Date.parse(b.created_at as string) - Date.parse(a.created_at as string) || (b.id as number) - (a.id as number));
    return listed.slice((page - 1) * limit, page * limit);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' });
    response.end(`${JSON.stringify(body)}\n`);
  }
}

export const SECRET = 's3cr3t-forgejo-hook';
export const sign = (body: Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** A fixture's exact bytes, moved to another owner (and repository name): the rest unchanged. */
export function payloadFor(name: string, owner: string, repo = 'webshop'): Buffer {
  return Buffer.from(
    fixture(name).toString('utf8').replaceAll('"login": "acme"', `"login": "${owner}"`).replaceAll('acme/webshop', `${owner}/${repo}`).replaceAll('"name": "webshop"', `"name": "${repo}"`),
    'utf8',
  );
}

export function forgejoHeaders(body: Buffer, event: string, deliveryId: string = randomUUID()): Record<string, string> {
  const signature = sign(body);
  return {
    'Content-Type': 'application/json',
    'X-Forgejo-Delivery': deliveryId,
    'X-Forgejo-Event': event,
    'X-Forgejo-Event-Type': event,
    'X-Forgejo-Signature': signature,
    'X-Gitea-Delivery': deliveryId,
    'X-Gitea-Event': event,
    'X-Gitea-Signature': signature,
    'X-Hub-Signature-256': `sha256=${signature}`,
  };
}

/** What a service needs to take deliveries and ask the fake Forgejo about their commits; retries fast. */
export const forgejoEnv = (fake: FakeForgejo) => ({
  FORGEJO_WEBHOOK_SECRET: SECRET,
  FORGEJO_URL: fake.url,
  FORGEJO_TOKEN: 'fake-pat',
  FORGEJO_API_TIMEOUT_MS: '500',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_MS: '1000',
  WEBHOOK_POLL_INTERVAL_MS: '100',
});
