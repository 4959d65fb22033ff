import type { Band, BadgeMetric, DoraMetrics, LeadTimeBasis } from '@dora/domain';

/** Readable on white text in both themes, and never the only sign of the band: its word is in the badge. */
const BAND_COLOURS: Record<Band, string> = { elite: '#2e7d32', high: '#1565c0', medium: '#9a5b00', low: '#c62828' };
const NO_BAND = '#616161';
const LABEL_COLOUR = '#555';

const LABELS: Record<BadgeMetric, string> = {
  deployment_frequency: 'deploys',
  lead_time: 'lead time',
  change_failure_rate: 'change failures',
  time_to_restore: 'time to restore',
  rework_rate: 'rework',
};

/** A metric's value and band as a badge says them: `2.3/day`, `3.5 h`, `12%`; null without a sample. */
export function badgeText(metric: BadgeMetric, metrics: DoraMetrics, basis: LeadTimeBasis): { label: string; value: string | null; band: Band | null } {
  const label = LABELS[metric];
  switch (metric) {
    case 'deployment_frequency': {
      const perDay = metrics.deployment_frequency.value;
      return { label, value: perDay >= 1 ? `${round(perDay)}/day` : `${round(perDay * 7)}/week`, band: metrics.deployment_frequency.band };
    }
    case 'lead_time': {
      const lead = basis === 'change' ? metrics.lead_time.per_change : metrics.lead_time;
      return { label, value: lead.p50_seconds === null ? null : duration(lead.p50_seconds), band: lead.band };
    }
    case 'change_failure_rate':
      return { label, value: percent(metrics.change_failure_rate.value), band: metrics.change_failure_rate.band };
    case 'time_to_restore':
      return { label, value: metrics.time_to_restore.median_seconds === null ? null : duration(metrics.time_to_restore.median_seconds), band: metrics.time_to_restore.band };
    case 'rework_rate':
      return { label, value: percent(metrics.rework_rate.value), band: null };
  }
}

/** A shields-style badge: the label on grey, the value and its band on the band's colour, with a text alternative. */
export function badgeSvg(text: { label: string; value: string | null; band: Band | null }, subject: string): string {
  const message = text.value === null ? 'no data' : text.band ? `${text.value} · ${capitalised(text.band)}` : text.value;
  const colour = text.band ? BAND_COLOURS[text.band] : NO_BAND;
  const [labelWidth, messageWidth] = [textWidth(text.label), textWidth(message)];
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${subject} ${text.label}: ${message}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="${LABEL_COLOUR}"/><rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${colour}"/><rect width="${width}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${labelWidth / 2}" y="14">${escapeXml(text.label)}</text><text x="${labelWidth + messageWidth / 2}" y="14">${escapeXml(message)}</text>
</g>
</svg>
`;
}

/** Verdana 11 px averages about 7 px a character; 10 px of padding. */
const textWidth = (text: string) => Math.round(text.length * 7 + 10);
const round = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));
const percent = (ratio: number | null) => (ratio === null ? null : `${round(ratio * 100)}%`);
const capitalised = (band: Band) => band[0]!.toUpperCase() + band.slice(1);

function duration(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} days`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
