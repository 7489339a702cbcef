import type { ActivityBucket, BucketSize } from '../../audit/tokenActivity.js';

const WIDTH = 960;
const HEIGHT = 200;
const PAD = { left: 44, right: 8, top: 10, bottom: 26 };

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A bucket's label: the hour (HH:00) or the day (MM-DD), UTC. */
export const bucketLabel = (start: string, size: BucketSize): string => (size === 'hour' ? `${start.slice(11, 13)}:00` : start.slice(5, 10));

/**
 * The Tokens tab's bar chart as inline SVG, drawn on the server (no script): role="img" with a
 * <title> and <desc> giving the total, and each bar a <title> with its figure; the page also
 * has a visually-hidden table of the same figures for screen readers.
 */
export function tokenChartSvg(buckets: readonly ActivityBucket[], size: BucketSize, title: string): string {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const bar = Math.max(1, slot * 0.8);
  const labelEvery = Math.ceil(buckets.length / 12);
  const parts: string[] = [];
  parts.push(`<svg class="tg-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="tg-chart-title tg-chart-desc" xmlns="http://www.w3.org/2000/svg">`);
  parts.push(`<title id="tg-chart-title">${escapeXml(title)}</title>`);
  parts.push(`<desc id="tg-chart-desc">${total} token events in ${buckets.length} ${size === 'hour' ? 'hours' : 'days'}; at most ${max === 1 && total === 0 ? 0 : max} in one ${size}.</desc>`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top + plotHeight}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotHeight}" class="tg-chart-axis"/>`);
  parts.push(`<text x="${PAD.left - 6}" y="${PAD.top + 8}" text-anchor="end" class="tg-chart-tick">${max}</text>`);
  parts.push(`<text x="${PAD.left - 6}" y="${PAD.top + plotHeight}" text-anchor="end" class="tg-chart-tick">0</text>`);
  buckets.forEach((b, i) => {
    const h = (b.count / max) * plotHeight;
    const x = PAD.left + i * slot + (slot - bar) / 2;
    const label = bucketLabel(b.start, size);
    parts.push(`<rect x="${x.toFixed(1)}" y="${(PAD.top + plotHeight - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" class="tg-chart-bar"><title>${escapeXml(`${b.start.replace('T', ' ').slice(0, 16)} UTC: ${b.count}`)}</title></rect>`);
    if (i % labelEvery === 0) {
      parts.push(`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" class="tg-chart-tick">${escapeXml(label)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
