// The overview: every queue (counts, oldest age, dead-letter queue and depth, in and out rates, visible
// messages over the last minute) and every stream (shards, records, bytes, put rate, groups and the
// worst lag, records over the last minute). The table bodies are the live regions.
import type { GroupShardLag } from '../../core/stream-types.js';
import { sparklineSvg } from '../charts/sparkline.js';
import { formatAgeMs, formatBytes, formatCount, formatRate } from '../format.js';
import { type Html, html } from '../html.js';
import { type PageContext, renderPage } from '../layout.js';
import { paths } from '../paths.js';
import type { OverviewSnapshot, QueueRow, StreamRow } from '../sampler.js';

function queueRow(row: QueueRow, now: number): Html {
  const { stats } = row;
  const dlq = stats.deadLetter
    ? html`<a href="${paths.queue(stats.deadLetter.queue)}">${stats.deadLetter.queue}</a> <span class="${stats.deadLetter.depth ? 'bad' : 'muted'}">${stats.deadLetter.depth === null ? 'missing' : formatCount(stats.deadLetter.depth)}</span>`
    : html`<span class="muted">–</span>`;
  return html`<tr data-queue="${stats.name}"><td><a href="${paths.queue(stats.name)}">${stats.name}</a>${stats.attributes.fifo ? html`<span class="tag">FIFO</span>` : ''}${stats.deadLetterSources.length > 0 ? html`<span class="tag">DLQ</span>` : ''}</td><td class="n" data-field="visible">${formatCount(stats.visible)}</td><td class="n" data-field="inFlight">${formatCount(stats.inFlight)}</td><td class="n" data-field="delayed">${formatCount(stats.delayed)}</td><td class="n">${formatAgeMs(stats.oldestSentAt === null ? null : now - stats.oldestSentAt)}</td><td>${dlq}</td><td class="n">${formatRate(row.inPerSecond)}</td><td class="n">${formatRate(row.outPerSecond)}</td><td>${sparklineSvg(row.visibleHistory, `visible messages of ${stats.name} over the last minute`)}</td></tr>`;
}

// Per group, its largest lag over the shards (records, and the oldest unprocessed record's wait).
export function worstLags(groups: GroupShardLag[]): { group: string; lagRecords: number; lagMs: number }[] {
  const byGroup = new Map<string, { group: string; lagRecords: number; lagMs: number }>();
  for (const lag of groups) {
    const worst = byGroup.get(lag.group) ?? { group: lag.group, lagRecords: 0, lagMs: 0 };
    worst.lagRecords = Math.max(worst.lagRecords, lag.lagRecords);
    worst.lagMs = Math.max(worst.lagMs, lag.lagMs);
    byGroup.set(lag.group, worst);
  }
  return [...byGroup.values()];
}

function streamRow(row: StreamRow): Html {
  const d = row.description;
  const records = d.shards.reduce((sum, s) => sum + s.records, 0);
  const bytes = d.shards.reduce((sum, s) => sum + s.bytes, 0);
  const lags = worstLags(row.groups);
  const groups = lags.length === 0
    ? html`<span class="muted">none</span>`
    : lags.map((lag, i) => html`${i > 0 ? ', ' : ''}${lag.group} <span class="${lag.lagRecords > 0 ? 'warn' : 'muted'}">${formatCount(lag.lagRecords)} behind${lag.lagMs > 0 ? html`, ${formatAgeMs(lag.lagMs)}` : ''}</span>`);
  return html`<tr data-stream="${d.name}"><td><a href="${paths.stream(d.name)}">${d.name}</a></td><td class="n">${d.openShardCount}${d.shardCount > d.openShardCount ? html` <span class="muted">(+${d.shardCount - d.openShardCount} closed)</span>` : ''}</td><td class="n" data-field="records">${formatCount(records)}</td><td class="n">${formatBytes(bytes)}</td><td class="n">${formatRate(row.putPerSecond)}</td><td>${groups}</td><td>${sparklineSvg(row.recordsHistory, `records of ${d.name} over the last minute`)}</td></tr>`;
}

export function overviewRegions(snapshot: OverviewSnapshot): Record<string, Html> {
  return {
    queues: snapshot.queues.length > 0
      ? html`${snapshot.queues.map((row) => queueRow(row, snapshot.at))}`
      : html`<tr><td colspan="9" class="empty">No queues yet. <code>mq create NAME</code> makes one.</td></tr>`,
    streams: snapshot.streams.length > 0
      ? html`${snapshot.streams.map(streamRow)}`
      : html`<tr><td colspan="7" class="empty">No streams yet. <code>mq create-stream NAME</code> makes one.</td></tr>`,
  };
}

export function overviewPage(ctx: PageContext, snapshot: OverviewSnapshot): string {
  const regions = overviewRegions(snapshot);
  const main = html`<h1>Queues and streams</h1>
<h2 id="queues">Queues</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="queues"><table aria-labelledby="queues"><thead><tr><th scope="col">Queue</th><th scope="col" class="n">Visible</th><th scope="col" class="n">In flight</th><th scope="col" class="n">Delayed</th><th scope="col" class="n">Oldest</th><th scope="col">Dead letters</th><th scope="col" class="n">In/s</th><th scope="col" class="n">Out/s</th><th scope="col">Last minute</th></tr></thead><tbody data-live="queues">${regions.queues}</tbody></table></div>
<h2 id="streams">Streams</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="streams"><table aria-labelledby="streams"><thead><tr><th scope="col">Stream</th><th scope="col" class="n">Open shards</th><th scope="col" class="n">Records</th><th scope="col" class="n">Bytes</th><th scope="col" class="n">Puts/s</th><th scope="col">Groups (worst lag)</th><th scope="col">Last minute</th></tr></thead><tbody data-live="streams">${regions.streams}</tbody></table></div>
<p class="muted">In/s and out/s: how fast a queue's stored messages grew and shrank over the last 5 seconds. <a href="/metrics">Prometheus metrics</a>.</p>`;
  return renderPage(ctx, { title: 'Overview', main, refreshSeconds: 5 });
}
