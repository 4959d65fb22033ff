import { type Band, BANDED_METRICS, type BandedMetric, type DoraMetrics, type LeadTimeBasis, type MetricsWindow } from '@dora/domain';
import { formatDuration } from '../../../lib/format';
import { BAND_LABELS, BANDS_BEST_FIRST } from './bands';

/** A piece of the sentence; one with a `metric` links to that metric's breakdown. */
export interface SentencePart {
  text: string;
  metric?: BandedMetric;
}

export interface OrgSentence {
  parts: SentencePart[];
  /** The parts' text, joined. */
  text: string;
}

/** How the sentence names each metric, mid-sentence. */
const NAMES: Record<BandedMetric, string> = {
  deployment_frequency: 'deployment frequency',
  lead_time: 'lead time',
  change_failure_rate: 'change-failure rate',
  time_to_restore: 'time to restore',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
const listed = (words: string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/**
 * The org in one line, from a summary: how many of the four banded metrics are in the best band present, and
 * which metric(s) are in the worst band with the evidence ("3 of 4 metrics Elite; change-failure rate Low —
 * 28 of 120 deployments failed or were rework"). The worst part links to its (first) metric's breakdown.
 * Lead time is read on the org's basis, as the card headlines it.
 */
export function orgSentence(summary: DoraMetrics & { window: Pick<MetricsWindow, 'days'> }, basis: LeadTimeBasis = 'deployment'): OrgSentence {
  const days = summary.window.days;
  if (summary.change_failure_rate.total === 0 && summary.deployment_frequency.successes === 0) {
    return sentence([{ text: `No deployments in the last ${plural(days, 'day')}` }]);
  }
  const leadTime = basis === 'change' ? summary.lead_time.per_change : summary.lead_time;
  const perChange = basis === 'change' ? ' per change' : '';
  const bands: Record<BandedMetric, Band | null> = {
    deployment_frequency: summary.deployment_frequency.band,
    lead_time: leadTime.band,
    change_failure_rate: summary.change_failure_rate.band,
    time_to_restore: summary.time_to_restore.band,
  };
  /** What puts a metric in its band; `named` when several metrics share the clause. */
  const evidence = (key: BandedMetric, named: boolean): string => {
    switch (key) {
      case 'deployment_frequency':
        return `${plural(summary.deployment_frequency.successes, 'successful deployment')} in ${plural(days, 'day')}`;
      case 'lead_time':
        return `median ${named ? 'lead time ' : ''}${formatDuration(leadTime.p50_seconds)}${perChange}`;
      case 'change_failure_rate':
        return `${summary.change_failure_rate.failed} of ${plural(summary.change_failure_rate.total, 'deployment')} failed or were rework`;
      case 'time_to_restore':
        return `median ${named ? 'time to restore ' : ''}${formatDuration(summary.time_to_restore.median_seconds)}`;
    }
  };
  /** Why a metric has no band. */
  const missing = (key: BandedMetric): string => {
    if (key === 'time_to_restore') return summary.time_to_restore.open > 0 ? 'no failure restored yet' : 'no failures to restore';
    return `${NAMES[key]} not measured`;
  };

  const present = BANDS_BEST_FIRST.filter((band) => BANDED_METRICS.some((key) => bands[key] === band));
  const best = present[0]!; // deployment frequency always has a band
  const worst = present.at(-1)!;
  const inBand = (band: Band) => BANDED_METRICS.filter((key) => bands[key] === band);
  const count = inBand(best).length;
  const lead = count === BANDED_METRICS.length ? `All ${count} metrics ${BAND_LABELS[best]}` : `${count} of ${BANDED_METRICS.length} metrics ${BAND_LABELS[best]}`;

  const parts: SentencePart[] = [];
  if (worst !== best) {
    const worstKeys = inBand(worst);
    const named = worstKeys.length > 1;
    parts.push({ text: lead }, { text: '; ' });
    parts.push({
      text: `${listed(worstKeys.map((key) => NAMES[key]))} ${BAND_LABELS[worst]} — ${worstKeys.map((key) => evidence(key, named)).join(', ')}`,
      metric: worstKeys[0],
    });
  } else {
    // One band for all the metrics that have one: nothing worse to point at, unless that band is itself the news.
    parts.push(best === 'elite' ? { text: lead } : { text: lead, metric: inBand(best)[0] });
  }
  for (const key of BANDED_METRICS.filter((k) => bands[k] === null)) parts.push({ text: `; ${missing(key)}` });
  return sentence(parts);
}

function sentence(parts: SentencePart[]): OrgSentence {
  // Neighbouring plain parts read as one.
  const merged = parts.reduce<SentencePart[]>((all, part) => {
    const last = all.at(-1);
    if (last && last.metric === undefined && part.metric === undefined) all[all.length - 1] = { text: last.text + part.text };
    else all.push(part);
    return all;
  }, []);
  return { parts: merged, text: merged.map((part) => part.text).join('') };
}
