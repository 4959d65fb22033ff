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

/** Forgejo could not answer now (5xx, timeout, refused): try again later. */
export class ForgejoUnavailableError extends Error {}
/** Forgejo answered, and retrying will not change it (for example 401 for a bad token). */
export class ForgejoRefusedError extends Error {}

/** The Forgejo API calls that resolve a release's ref (fixtures README §4). */
@Injectable()
export class ForgejoClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.forgejo.url !== undefined;
  }

  /** The commit of a tag, branch or SHA — slashes included, so through the commits list — or `null` if there is none. */
  async commit(owner: string, repo: string, ref: string): Promise<ResolvedCommit | null> {
    const query = new URLSearchParams({ sha: ref, limit: '1', stat: 'false', files: 'false', verification: 'false' });
    const commits = await this.get<{ sha?: unknown; commit?: { author?: { date?: unknown } } }[] | null>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/commits?${query}`,
    );
    const first = commits?.[0];
    if (!first) return null;
    if (typeof first.sha !== 'string' || typeof first.commit?.author?.date !== 'string') {
      throw new ForgejoRefusedError(`Forgejo answered an unexpected commit for ${ref}`);
    }
    return { sha: first.sha, authorDate: first.commit.author.date };
  }

  async tag(owner: string, repo: string, tag: string): Promise<ResolvedTag | null> {
    const found = await this.get<{ id?: unknown; commit?: { sha?: unknown; created?: unknown } } | null>(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/tags/${encodeURIComponent(tag)}`,
    );
    if (!found) return null;
    if (typeof found.id !== 'string' || typeof found.commit?.sha !== 'string') {
      throw new ForgejoRefusedError(`Forgejo answered an unexpected tag for ${tag}`);
    }
    // An annotated tag is an object of its own; a lightweight tag's id is the commit's.
    const annotated = found.id !== found.commit.sha;
    return { commitSha: found.commit.sha, taggedAt: annotated && typeof found.commit.created === 'string' ? found.commit.created : undefined };
  }

  /** GET of an API path: the JSON, `null` on 404, or one of the errors above. */
  private async get<T>(path: string): Promise<T | null> {
    const { url, token, apiTimeoutMs } = this.config.forgejo;
    let response: Response;
    try {
      response = await fetch(`${url}/api/v1${path}`, {
        headers: { Accept: 'application/json', ...(token ? { Authorization: `token ${token}` } : {}) },
        signal: AbortSignal.timeout(apiTimeoutMs),
      });
    } catch (error) {
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
