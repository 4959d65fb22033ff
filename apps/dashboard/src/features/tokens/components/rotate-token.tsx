import type { ApiTokenItem, RotatedToken } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { useRotateToken } from '../api/tokens';
import { ErrorMessage } from '../../../components/error-message';
import { SecretOnce } from './secret-once';

const MAX_GRACE_HOURS = 720;

/** Whole hours from 0 to 720, or why not. */
export function graceProblem(text: string): string | undefined {
  const hours = Number(text);
  if (text.trim() === '' || !Number.isInteger(hours) || hours < 0 || hours > MAX_GRACE_HOURS) return `Enter whole hours from 0 to ${MAX_GRACE_HOURS}.`;
  return undefined;
}

/** Rotating one token: the grace period asked for, then the new secret shown once. */
export function RotateToken({ slug, token, onClose }: { slug: string; token: ApiTokenItem; onClose: () => void }) {
  const rotate = useRotateToken(slug);
  const [hours, setHours] = useState('24');
  const [problem, setProblem] = useState<string | undefined>();
  const [rotated, setRotated] = useState<RotatedToken | undefined>();

  if (rotated) return <SecretOnce minted={rotated} onDone={onClose} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const why = graceProblem(hours);
    setProblem(why);
    if (!why) rotate.mutate({ id: token.id, grace_hours: Number(hours) }, { onSuccess: setRotated });
  };
  return (
    <form onSubmit={submit} className="stack secret" aria-label={`Rotate “${token.name}”`} noValidate>
      <h3>Rotate “{token.name}”</h3>
      <p>
        A new secret replaces <code>{token.prefix}…</code>, with the same name, scopes and lifetime rule.
      </p>
      <label>
        Grace period (hours)
        <input
          type="number"
          min={0}
          max={MAX_GRACE_HOURS}
          step={1}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          autoFocus
          aria-invalid={problem ? true : undefined}
          aria-describedby="grace-hint"
        />
      </label>
      <p id="grace-hint" className="hint">
        How long the old secret keeps working, so that whatever uses it can switch to the new one: 0 to {MAX_GRACE_HOURS} hours (30 days); 0 stops it at once.
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <ErrorMessage error={rotate.error} />
      <p>
        <button type="submit" disabled={rotate.isPending}>
          {rotate.isPending ? 'Rotating…' : 'Rotate token'}
        </button>{' '}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </p>
    </form>
  );
}
