import { WINDOW_DAYS } from '@dora/domain';
import { useEnvironments } from '../api/deployments';

/** The window switch (7d / 30d / 90d) and the environment selector. */
export function ScopeControls(props: {
  slug: string;
  windowDays: number;
  environment: string;
  onWindow: (days: number) => void;
  onEnvironment: (environment: string) => void;
}) {
  const environments = useEnvironments(props.slug);
  const names = new Set([props.environment, 'production', ...(environments.data?.items.map((e) => e.environment) ?? [])]);
  return (
    <div className="controls">
      <div role="group" aria-label="Window" className="segmented">
        {WINDOW_DAYS.map((days) => (
          <button key={days} type="button" aria-pressed={props.windowDays === days} onClick={() => props.onWindow(days)}>
            {days}d
          </button>
        ))}
      </div>
      <label>
        Environment{' '}
        <select value={props.environment} onChange={(e) => props.onEnvironment(e.target.value)}>
          {[...names].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
