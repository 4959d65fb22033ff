import type { DoraMetrics } from '@dora/domain';
import { describe, expect, it } from 'vitest';
import { NO_METRICS } from '../../../test/fixtures';
import { orgSentence } from './org-sentence';

const DAY = 86_400;
/** 30 days: 42 successful deploys (Elite), lead time 2 h (Elite), 2 of 44 failed (Elite), restored in 30 min (Elite). */
const elite: DoraMetrics = {
  deployment_frequency: { value: 1.4, successes: 42, band: 'elite' },
  lead_time: {
    p50_seconds: 7200,
    p95_seconds: 9000,
    sample: 40,
    without_commit: 0,
    excluded_negative: 0,
    band: 'elite',
    per_change: { p50_seconds: 21600, p95_seconds: 36000, sample: 90, excluded_negative: 0, deployments_with_changes: 40, band: 'elite' },
  },
  change_failure_rate: { value: 2 / 44, failed: 2, total: 44, band: 'elite' },
  time_to_restore: { median_seconds: 1800, restored: 2, open: 0, oldest_open_seconds: null, band: 'elite' },
  rework_rate: { value: 0, rework: 0, total: 44, band: null },
};
const of = (metrics: DoraMetrics, days = 30) => ({ ...metrics, window: { days } });

describe('orgSentence', () => {
  it('counts the metrics in the best band and names the worst one with its evidence, linked to its breakdown', () => {
    // 28 of 120: 23.3 % > 15 %, Low.
    const sentence = orgSentence(of({ ...elite, change_failure_rate: { value: 28 / 120, failed: 28, total: 120, band: 'low' } }));
    expect(sentence.text).toBe('3 of 4 metrics Elite; change-failure rate Low — 28 of 120 deployments failed or were rework');
    expect(sentence.parts).toEqual([
      { text: '3 of 4 metrics Elite; ' },
      { text: 'change-failure rate Low — 28 of 120 deployments failed or were rework', metric: 'change_failure_rate' },
    ]);
  });

  it('says all four are Elite, with nothing to link', () => {
    expect(orgSentence(of(elite))).toEqual({ text: 'All 4 metrics Elite', parts: [{ text: 'All 4 metrics Elite' }] });
  });

  it('says when there is nothing to count', () => {
    expect(orgSentence(of(NO_METRICS, 7)).text).toBe('No deployments in the last 7 days');
    expect(orgSentence(of(NO_METRICS, 7)).parts.some((part) => part.metric)).toBe(false);
  });

  it('names every metric tied in the worst band, each with its figure, and links the first', () => {
    // Lead time 3 days and restores in 5 h: both Medium (under a week; over a day and an hour).
    const sentence = orgSentence(
      of({
        ...elite,
        lead_time: { ...elite.lead_time, p50_seconds: 3 * DAY, band: 'medium' },
        time_to_restore: { ...elite.time_to_restore, median_seconds: 5 * 3600, band: 'medium' },
      }),
    );
    expect(sentence.text).toBe('2 of 4 metrics Elite; lead time and time to restore Medium — median lead time 3 days, median time to restore 5 h');
    expect(sentence.parts.find((part) => part.metric)?.metric).toBe('lead_time');
  });

  it('counts only the best band present and skips the bands in between', () => {
    // 5 deploys in 30 days: High (≥ 1 a week); 18 of 120 = 15 %: Medium; 2 h to restore: High.
    const sentence = orgSentence(
      of({
        ...elite,
        deployment_frequency: { value: 5 / 30, successes: 5, band: 'high' },
        change_failure_rate: { value: 0.15, failed: 18, total: 120, band: 'medium' },
        time_to_restore: { ...elite.time_to_restore, median_seconds: 7200, band: 'high' },
      }),
    );
    expect(sentence.text).toBe('1 of 4 metrics Elite; change-failure rate Medium — 18 of 120 deployments failed or were rework');
  });

  it('gives the deployment frequency’s evidence as the successes in the window', () => {
    const sentence = orgSentence(of({ ...elite, deployment_frequency: { value: 1 / 90, successes: 1, band: 'low' } }, 90));
    expect(sentence.text).toBe('3 of 4 metrics Elite; deployment frequency Low — 1 successful deployment in 90 days');
    expect(sentence.parts.at(-1)?.metric).toBe('deployment_frequency');
  });

  it('says which metrics have no band yet, and why, without counting them', () => {
    const noFailures = { ...elite.time_to_restore, median_seconds: null, restored: 0, open: 0, band: null };
    expect(orgSentence(of({ ...elite, time_to_restore: noFailures })).text).toBe('3 of 4 metrics Elite; no failures to restore');
    expect(orgSentence(of({ ...elite, time_to_restore: { ...noFailures, open: 1, oldest_open_seconds: 60 } })).text).toBe('3 of 4 metrics Elite; no failure restored yet');
    const noLeadTime = { ...elite.lead_time, p50_seconds: null, p95_seconds: null, sample: 0, band: null };
    expect(orgSentence(of({ ...elite, lead_time: noLeadTime, time_to_restore: noFailures })).text).toBe('2 of 4 metrics Elite; lead time not measured; no failures to restore');
  });

  it('links the one band all the metrics share when it is not Elite', () => {
    const low: DoraMetrics = {
      ...NO_METRICS,
      deployment_frequency: { value: 1 / 30, successes: 1, band: 'low' },
      change_failure_rate: { value: 0.5, failed: 1, total: 2, band: 'low' },
      time_to_restore: { median_seconds: null, restored: 0, open: 1, oldest_open_seconds: 600, band: null },
    };
    expect(orgSentence(of(low)).parts).toEqual([
      { text: '2 of 4 metrics Low', metric: 'deployment_frequency' },
      { text: '; lead time not measured; no failure restored yet' },
    ]);
  });

  it('reads lead time on the org’s basis, as the card headlines it', () => {
    // Per deployment 2 h (Elite); per change 40 days (Low).
    const metrics = of({ ...elite, lead_time: { ...elite.lead_time, per_change: { ...elite.lead_time.per_change, p50_seconds: 40 * DAY, band: 'low' } } });
    expect(orgSentence(metrics, 'deployment').text).toBe('All 4 metrics Elite');
    expect(orgSentence(metrics, 'change').text).toBe('3 of 4 metrics Elite; lead time Low — median 40 days per change');
  });
});
