import { describe, expect, it } from 'vitest';
import { timeRangeOf } from '../../../components/time-range-filter';
import { metricByKey } from '../../dora/utils/metrics';
import { deploymentsHref, localDateTime } from './deployments-href';

const week = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', partial: false };
const paramsOf = (href: string) => new URL(href, 'http://localhost').searchParams;

describe('the deployments behind a point', () => {
  it('are the Deployments page narrowed to the scope, the period and what the metric counts', () => {
    const href = deploymentsHref('acme', { environment: 'staging', team: 'web' }, metricByKey('deployment_frequency')!, week);
    expect(href.startsWith('/acme/_admin/dora/deployments?')).toBe(true);
    const params = paramsOf(href);
    expect([params.get('environment'), params.get('team'), params.get('success'), params.get('is_rework')]).toEqual(['staging', 'web', 'true', null]);
    // The Deployments page reads From and To back as the very same instants.
    expect(timeRangeOf(params)).toEqual({ from: week.from, to: week.to });
  });

  it('count every deployment for the failure rate, the failures for time to restore, the rework for rework rate', () => {
    const behind = (key: string) => {
      const params = paramsOf(deploymentsHref('acme', { environment: 'production' }, metricByKey(key)!, week));
      return [params.get('environment'), params.get('success'), params.get('is_rework')];
    };
    expect(behind('change_failure_rate')).toEqual([null, null, null]);
    expect(behind('time_to_restore')).toEqual([null, 'false', null]);
    expect(behind('rework_rate')).toEqual([null, null, 'true']);
    expect(behind('lead_time')).toEqual([null, 'true', null]);
  });

  it('leave a period not over yet open at its end', () => {
    const params = paramsOf(deploymentsHref('acme', { environment: 'production' }, metricByKey('lead_time')!, { from: week.from, to: '2026-11-18T10:31:12.345Z', partial: true }));
    expect(timeRangeOf(params)).toEqual({ from: week.from, to: undefined });
  });

  it('write an instant as a datetime-local value, with seconds only when it has them', () => {
    for (const iso of ['2026-11-16T00:00:00.000Z', '2026-11-18T10:31:12.000Z', '2026-11-18T10:31:12.345Z']) {
      expect(new Date(localDateTime(iso)).toISOString()).toBe(iso);
    }
    expect(localDateTime('2026-11-16T00:00:00.000Z')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(localDateTime('2026-11-18T10:31:12.345Z')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:12\.345$/);
  });
});
