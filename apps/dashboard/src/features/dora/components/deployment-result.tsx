import type { DeploymentItem } from '@dora/domain';

/** A deployment's outcome in words (and colour), and whether it was rework. */
export function DeploymentResult({ deployment: d }: { deployment: Pick<DeploymentItem, 'success' | 'is_rework'> }) {
  return (
    <>
      <span className={d.success ? 'ok' : 'error'}>{d.success ? 'success' : 'failed'}</span>
      {d.is_rework && ' · rework'}
    </>
  );
}
