import type { Team, TeamRuleItem } from '@dora/domain';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useRulesPreview, useSaveTeamRules, useTeamRules } from '../api/team-rules';
import { draftsOf, moved, newDraft, problemsByRule, type RuleDraft, ruleProblems, rulesOf, shadowing } from '../utils/rule-drafts';
import { RulesPreview } from './rules-preview';

/** How long typing pauses before the preview is asked for. */
const PREVIEW_DELAY_MS = 400;

/** The org's ordered rules, loaded, then edited. */
export function RulesSection({ slug, teams }: { slug: string; teams: Team[] }) {
  const rules = useTeamRules(slug);
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      <p>
        Each deployment belongs to the team of the <strong>first</strong> rule that matches it, from the top. A rule matches a repository pattern (
        <code>*</code> stands for anything) and, when it has one, a service pattern: then only deployments that name a matching service. Deployments that no
        rule matches are Unassigned; a deployment whose ingest named a team keeps that team.
      </p>
      {rules.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={rules.error} prefix="Could not load the rules: " />
      {rules.isSuccess && <RulesEditor slug={slug} teams={teams} saved={rules.data.items} />}
    </section>
  );
}

/** The ordered list as a form: what it would attribute is previewed as it is edited, and nothing changes until it is saved. */
function RulesEditor({ slug, teams, saved }: { slug: string; teams: Team[]; saved: TeamRuleItem[] }) {
  const savedDrafts = useMemo(() => draftsOf(saved), [saved]);
  // null: the saved list, untouched (and following the server's when it changes).
  const [edited, setEdited] = useState<RuleDraft[] | null>(null);
  const save = useSaveTeamRules(slug);
  const drafts = edited ?? savedDrafts;
  const problems = drafts.map(ruleProblems);
  const valid = problems.every((list) => list.length === 0);
  const rules = useMemo(() => rulesOf(drafts), [drafts]);
  const previewed = useDebouncedValue(valid ? rules : null, PREVIEW_DELAY_MS);
  const preview = useRulesPreview(slug, previewed);
  // The preview is of the list on screen once typing has paused and the answer for that list is in.
  const previewIsCurrent = previewed === rules && preview.isSuccess && !preview.isPlaceholderData;
  // Known at once, without the API (the preview's shadowed_by says the same).
  const shadowedBy = valid ? shadowing(rules) : [];
  const refusals = problemsByRule(save.error ?? preview.error);
  const changed = edited !== null && JSON.stringify(rules) !== JSON.stringify(rulesOf(savedDrafts));

  const edit = (next: RuleDraft[] | null) => {
    setEdited(next);
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(rules, { onSuccess: () => setEdited(null) });
  };

  return (
    <form onSubmit={submit} aria-label="Rules">
      {drafts.length === 0 && <p>No rules yet: every deployment is Unassigned unless its ingest names a team.</p>}
      <ol className="rules">
        {drafts.map((draft, i) => (
          <li key={draft.key}>
            <RuleFields
              slug={slug}
              teams={teams}
              draft={draft}
              position={i}
              last={i === drafts.length - 1}
              onChange={(next) => edit(drafts.map((d, j) => (j === i ? next : d)))}
              onMove={(by) => edit(moved(drafts, i, by))}
              onRemove={() => edit(drafts.filter((_, j) => j !== i))}
            >
              {[...problems[i]!, ...(refusals.get(i) ?? [])].map((problem) => (
                <p key={problem} className="error rule-note">
                  {problem}
                </p>
              ))}
              <Shadowed by={shadowedBy[i] ?? null} />
              {previewIsCurrent && preview.data.rules[i] && <p className="hint rule-note">{deployments(preview.data.rules[i].deployments_90d)} in the last 90 days</p>}
            </RuleFields>
          </li>
        ))}
      </ol>
      <div className="controls">
        <button type="button" onClick={() => edit([...drafts, newDraft(teams.length === 1 ? teams[0]!.slug : '')])}>
          Add a rule
        </button>
        <button type="submit" disabled={!changed || !valid || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save rules'}
        </button>
        {changed && (
          <>
            <button type="button" onClick={() => edit(null)}>
              Discard changes
            </button>
            <span className="hint">Unsaved: the preview shows these rules, the metrics do not yet.</span>
          </>
        )}
        {save.isSuccess && (
          <span role="status" className="ok">
            Saved: every deployment was attributed again.
          </span>
        )}
      </div>
      <ErrorMessage error={save.error} prefix="Could not save the rules: " />
      <RulesPreview teams={teams} preview={preview.data} error={preview.error} state={!valid ? 'invalid' : previewIsCurrent ? 'current' : 'updating'} />
    </form>
  );
}

function RuleFields(props: {
  slug: string;
  teams: Team[];
  draft: RuleDraft;
  position: number;
  last: boolean;
  onChange: (draft: RuleDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  const { draft, teams, position } = props;
  const number = position + 1;
  return (
    <fieldset className="rule">
      <legend>Rule {number}</legend>
      <label>
        Team
        <select value={draft.team} onChange={(e) => props.onChange({ ...draft, team: e.target.value })}>
          <option value="">Choose a team…</option>
          {teams.map((team) => (
            <option key={team.slug} value={team.slug}>
              {team.name}
            </option>
          ))}
          {draft.team !== '' && !teams.some((team) => team.slug === draft.team) && <option value={draft.team}>{draft.team} (no such team)</option>}
        </select>
      </label>
      <label className="pattern">
        Repository pattern
        <input
          value={draft.repo}
          onChange={(e) => props.onChange({ ...draft, repo: e.target.value })}
          placeholder={`${props.slug}/payments-*`}
          spellCheck={false}
          autoCapitalize="none"
        />
      </label>
      <label className="pattern">
        Service pattern (optional)
        <input
          value={draft.service}
          onChange={(e) => props.onChange({ ...draft, service: e.target.value })}
          placeholder="any deployment"
          spellCheck={false}
          autoCapitalize="none"
        />
      </label>
      <div className="rule-actions">
        <button type="button" onClick={() => props.onMove(-1)} disabled={position === 0} aria-label={`Move rule ${number} up`}>
          ↑
        </button>
        <button type="button" onClick={() => props.onMove(1)} disabled={props.last} aria-label={`Move rule ${number} down`}>
          ↓
        </button>
        <button type="button" onClick={props.onRemove} aria-label={`Remove rule ${number}`}>
          Remove
        </button>
      </div>
      {props.children}
    </fieldset>
  );
}

/** A rule an earlier one makes dead: whatever it would match, the earlier one takes first. */
function Shadowed({ by }: { by: number | null }) {
  if (by === null) return null;
  return (
    <p className="warning rule-note">
      Never matches: rule {by + 1} above takes every deployment this one would. Move this rule above it, or remove it.
    </p>
  );
}

function deployments(count: number): string {
  return count === 1 ? '1 deployment' : `${count} deployments`;
}
