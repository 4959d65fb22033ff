/**
 * What a Forgejo (or Gitea) delivery asks of us (DESIGN §6, fixtures README): a release or a pushed
 * `v*` tag becomes a production deployment; everything else is acknowledged and skipped.
 */
export type DeliveryPlan =
  | { kind: 'skip'; reason: string }
  | ({ kind: 'release'; releaseId: number; tag: string; targetCommitish: string; createdAt: string } & RepoRef)
  | ({ kind: 'tag'; tag: string } & RepoRef);

export interface RepoRef {
  /** The repository owner's login: the org. */
  owner: string;
  /** `owner/name`, as Forgejo spells it. */
  fullName: string;
  name: string;
}

type Json = Record<string, unknown>;

export function planDelivery(event: string, payload: unknown): DeliveryPlan {
  if (event !== 'release' && event !== 'create') return { kind: 'skip', reason: `${event} events are not used` };
  const body = object(payload);
  const repo = repoRef(object(body?.repository));
  if (!body || !repo) return { kind: 'skip', reason: 'the payload has no repository with an owner' };

  if (event === 'create') {
    const ref = body.ref;
    if (body.ref_type !== 'tag' || typeof ref !== 'string') return { kind: 'skip', reason: 'a created branch is not a deployment' };
    const tag = ref.replace(/^refs\/tags\//, ''); // forgejo hooks send the full ref, gitea hooks the short name
    if (!tag.startsWith('v')) return { kind: 'skip', reason: `tag ${tag} does not start with "v"` };
    return { kind: 'tag', tag, ...repo };
  }

  const release = object(body.release);
  const action = body.action;
  if (!release || typeof release.id !== 'number' || typeof release.tag_name !== 'string' || typeof release.created_at !== 'string') {
    return { kind: 'skip', reason: 'the payload has no release with an id, tag_name and created_at' };
  }
  if (release.draft === true) return { kind: 'skip', reason: 'a draft release is not a deployment' };
  // A draft published on an existing tag arrives only as "updated": the first non-draft event ingests it
  // (later ones find the deployment already there).
  if (action !== 'published' && action !== 'updated') return { kind: 'skip', reason: `release ${String(action)}` };
  return {
    kind: 'release',
    releaseId: release.id,
    tag: release.tag_name,
    targetCommitish: typeof release.target_commitish === 'string' ? release.target_commitish : '',
    createdAt: release.created_at,
    ...repo,
  };
}

function repoRef(repository: Json | undefined): RepoRef | undefined {
  const owner = object(repository?.owner)?.login;
  const fullName = repository?.full_name;
  const name = repository?.name;
  if (typeof owner !== 'string' || typeof fullName !== 'string' || typeof name !== 'string') return undefined;
  return { owner, fullName, name };
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
