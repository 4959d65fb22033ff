import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** A commit as the deployment needs it. */
export interface ResolvedCommit {
  sha: string;
  /** The commit's author date, RFC 3339 in the commit's own offset. */
  authorDate: string;
}

export interface ResolvedTag {
  commitSha: string;
  /** The tagger date for an annotated tag; `undefined` for a lightweight one (it has none). */
  taggedAt: string | undefined;
}

/** A published release as the change set needs it. */
export interface ListedRelease {
  id: number;
  tag: string;
  createdAt: string;
}

/** The commits of `base...head`, newest first as git log lists them, and how many there are in all. */
export interface Comparison {
  commits: ResolvedCommit[];
  total: number;
}

/** Releases per page of the list (Forgejo's default maximum). */
const RELEASES_PAGE = 50;
/** How far back the previous release is looked for: 1,000 releases. */
export const RELEASE_PAGES = 20;

/** Forgejo could not answer now (5xx, timeout, refused): try again later. */
export class ForgejoUnavailableError extends Error {}
/** Forgejo answered, and retrying will not change it (for example 401 for a bad token). */
export class ForgejoRefusedError extends Error {}

/**
 * The Forgejo API calls that resolve a release's ref and its change set (fixtures README §4, DESIGN §6). Each
 * call has its own timeout and takes its delivery attempt's signal: one deadline for all calls of an attempt.
 */
@Injectable()
export class ForgejoClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.forgejo.url !== undefined;
  }

  /** The commit of a tag, branch or SHA — slashes included, so through the commits list — or `null` if there is none. */
  async commit(owner: string, repo: string, ref: string, attempt: AbortSignal): Promise<ResolvedCommit | null> {
    const query = new URLSearchParams({ sha: ref, limit: '1', stat: 'false', files: 'false', verification: 'false' });
    const commits = await this.get<{ sha?: unknown; commit?: { author?: { date?: unknown } } }[] | null>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/commits?${query}`,
      attempt,
    );
    const first = commits?.[0];
    if (!first) return null;
    if (typeof first.sha !== 'string' || typeof first.commit?.author?.date !== 'string') {
      throw new ForgejoRefusedError(`Forgejo answered an unexpected commit for ${ref}`);
    }
    return { sha: first.sha, authorDate: first.commit.author.date };
  }

  async tag(owner: string, repo: string, tag: string, attempt: AbortSignal): Promise<ResolvedTag | null> {
    const found = await this.get<{ id?: unknown; commit?: { sha?: unknown; created?: unknown } } | null>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/tags/${encodeURIComponent(tag)}`,
      attempt,
    );
    if (!found) return null;
    if (typeof found.id !== 'string' || typeof found.commit?.sha !== 'string') {
      throw new ForgejoRefusedError(`Forgejo answered an unexpected tag for ${tag}`);
    }
    // An annotated tag is an object of its own; a lightweight tag's id is the commit's.
    const annotated = found.id !== found.commit.sha;
    return { commitSha: found.commit.sha, taggedAt: annotated && typeof found.commit.created === 'string' ? found.commit.created : undefined };
  }

  /**
   * The release published just before `release` in the repository — the newest non-draft release (pre-releases
   * count, as they are deployments) older by (created_at, id) — among the 1,000 most recent; `null` when none is
   * (or when Forgejo has no release list for the repository: 404).
   */
  async previousRelease(owner: string, repo: string, release: { id: number; createdAt: string }, attempt: AbortSignal): Promise<ListedRelease | null> {
    const before = (other: ListedRelease) => {
      const [t, o] = [Date.parse(release.createdAt), Date.parse(other.createdAt)];
      return o < t || (o === t && other.id < release.id);
    };
    for (let page = 1; page <= RELEASE_PAGES; page++) {
      const query = new URLSearchParams({ draft: 'false', page: String(page), limit: String(RELEASES_PAGE) });
      const releases = await this.get<{ id?: unknown; tag_name?: unknown; created_at?: unknown; draft?: unknown }[] | null>(
        `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/releases?${query}`,
        attempt,
      );
      if (releases === null) return null;
      if (!Array.isArray(releases)) throw new ForgejoRefusedError('Forgejo answered an unexpected release list');
      for (const listed of releases) {
        if (typeof listed.id !== 'number' || typeof listed.tag_name !== 'string' || typeof listed.created_at !== 'string') {
          throw new ForgejoRefusedError('Forgejo answered an unexpected release in its list');
        }
        const candidate = { id: listed.id, tag: listed.tag_name, createdAt: listed.created_at };
        // Listed newest first (created_at, then id): the first older one is the previous release.
        if (listed.draft !== true && before(candidate)) return candidate;
      }
      if (releases.length < RELEASES_PAGE) return null;
    }
    return null;
  }

  /** The commits reachable from `head` and not from `base` (shas), or `null` when Forgejo knows neither. */
  async compare(owner: string, repo: string, base: string, head: string, attempt: AbortSignal): Promise<Comparison | null> {
    const query = new URLSearchParams({ files: 'false', verification: 'false' });
    const found = await this.get<{ total_commits?: unknown; commits?: { sha?: unknown; commit?: { author?: { date?: unknown } } }[] } | null>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/compare/${base}...${head}?${query}`,
      attempt,
    );
    if (!found) return null;
    if (!Array.isArray(found.commits)) throw new ForgejoRefusedError(`Forgejo answered an unexpected comparison of ${base}...${head}`);
    const commits = found.commits.map((commit) => {
      if (typeof commit.sha !== 'string' || typeof commit.commit?.author?.date !== 'string') {
        throw new ForgejoRefusedError(`Forgejo answered an unexpected commit in the comparison of ${base}...${head}`);
      }
      return { sha: commit.sha, authorDate: commit.commit.author.date };
    });
    return { commits, total: typeof found.total_commits === 'number' ? found.total_commits : commits.length };
  }

  /** GET of an API path: the JSON, `null` on 404, or one of the errors above. */
  private async get<T>(path: string, attempt: AbortSignal): Promise<T | null> {
    const { url, token, apiTimeoutMs } = this.config.forgejo;
    const call = AbortSignal.timeout(apiTimeoutMs);
    let response: Response;
    try {
      response = await fetch(`${url}/api/v1${path}`, {
        headers: { Accept: 'application/json', ...(token ? { Authorization: `token ${token}` } : {}) },
        signal: AbortSignal.any([call, attempt]),
      });
    } catch (error) {
      if (attempt.aborted) throw new ForgejoUnavailableError('the attempt ran out of time before Forgejo answered every call');
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      // Neither FORGEJO_URL (it may carry credentials) nor the token goes into a delivery's last_error.
      throw new ForgejoUnavailableError(`Forgejo API unreachable (${cause})`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new ForgejoUnavailableError(`Forgejo API answered ${response.status} for ${path}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ForgejoRefusedError(
        `Forgejo API answered ${response.status} for ${path}${response.status === 401 || response.status === 403 ? ' (check FORGEJO_TOKEN: it needs read:repository)' : ''}`,
      );
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new ForgejoUnavailableError(`Forgejo API answered invalid JSON for ${path}`);
    }
  }
}
