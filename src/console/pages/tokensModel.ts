import { parseHistoryParameters } from '../../audit/historyParameters.js';
import { TOKEN_EVENT_TYPES } from '../../audit/historyQuery.js';
import { alignedEnd, BUCKETS, bucketStarts, MAX_BUCKETS, tokenActivity, type BucketSize } from '../../audit/tokenActivity.js';
import { isDomainError, type FieldError } from '../../domain/shared/domainError.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { withQuery } from './applicationModels.js';
import { tokenRows } from './historyModel.js';
import { bucketLabel, tokenChartSvg } from './tokenChart.js';
import { inputValue, utcInput } from './timeInput.js';

const text = (raw: unknown): string => (typeof raw === 'string' ? raw : '');
const linkTo = (base: string, query: Record<string, string>): string =>
  withQuery(base, Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '')));

/**
 * The Tokens tab: a period filter (`from` inclusive, `to` exclusive; UTC), one bounded page of
 * token events newest first through the admin API's history query with include=tokens (cursor
 * pages; the same parameter validation, historyParameters.ts), and a chart of token events per
 * hour or per day found by time searches (tokenActivity.ts), never by reading the events.
 */
export async function tokensTab(deps: ConsoleDeps, applicationId: string, base: string, query: Record<string, unknown>, perPage: number) {
  const chartSize: BucketSize = query.chart === 'day' ? 'day' : 'hour';
  const filter = { from: text(query.from), to: text(query.to), chart: chartSize === 'day' ? 'day' : '' };
  let parameters;
  let page;
  try {
    parameters = parseHistoryParameters({
      include: 'tokens',
      type: [...TOKEN_EVENT_TYPES].join(','),
      from: utcInput(query.from),
      to: utcInput(query.to),
      perPage: String(perPage),
      ...(typeof query.cursor === 'string' && query.cursor !== '' && { cursor: query.cursor }),
    });
    page = await deps.audit.readHistoryPage({ ...parameters.query, applicationId }, parameters.cursor);
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'VALIDATION') throw error;
    const errors: Record<string, string> = {};
    for (const e of error.errors as FieldError[]) errors[e.field] = e.message;
    return { filter, errors, rows: [], pager: {} };
  }
  const { from, to } = parameters.query;
  const shown = { from: inputValue(from), to: inputValue(to), chart: filter.chart, tab: 'tokens', perPage: String(perPage) };
  const keep: Record<string, string> = shown;

  // The chart: the period when one is chosen (its newest MAX_BUCKETS buckets), else the last 24 hours or 30 days.
  const size = BUCKETS[chartSize];
  const end = alignedEnd(to === undefined ? deps.now() : new Date(to.getTime() - 1), chartSize);
  const wanted = from === undefined ? size.default : Math.ceil((end.getTime() - from.getTime()) / size.ms);
  const count = Math.min(MAX_BUCKETS, Math.max(1, wanted));
  const activity = await tokenActivity(deps.store, applicationId, bucketStarts(end, chartSize, count));
  const title = `Token events (tokens issued and revoked, authorization codes issued) per ${chartSize}, ${activity.buckets[0]!.start.replace('T', ' ').slice(0, 16)} to ${end.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return {
    filter: { from: shown.from, to: shown.to, chart: filter.chart },
    rows: await tokenRows(deps, page.items),
    pager: {
      newest: parameters.cursor !== undefined ? linkTo(base, keep) : undefined,
      next: page.next === null ? undefined : linkTo(base, { ...keep, cursor: page.next }),
    },
    chart: {
      size: chartSize,
      title,
      svg: tokenChartSvg(activity.buckets, chartSize, title),
      figures: activity.buckets.map((b) => ({ label: `${b.start.replace('T', ' ').slice(0, 16)} UTC`, short: bucketLabel(b.start, chartSize), count: b.count })),
      total: activity.buckets.reduce((sum, b) => sum + b.count, 0),
      cut: wanted > MAX_BUCKETS,
      // Said only when retention deleted events the chart's period would have counted.
      keptSince: activity.keptSince !== null && activity.keptSince > activity.buckets[0]!.start ? activity.keptSince : null,
      perHour: linkTo(base, { ...keep, chart: '' }),
      perDay: linkTo(base, { ...keep, chart: 'day' }),
    },
  };
}
