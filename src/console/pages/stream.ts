// A stream's page: its summary, the shard map (the open shards' hash key ranges as a bar, the lineage of
// every listed shard as a graph), each shard's records and bytes, and each consumer group's checkpoint,
// lease holder and lag per shard. All of it is live; each shard links to its live tail.
import { parentIds } from '../../core/lineage.js';
import { parseSequence } from '../../core/sequence-numbers.js';
import { parseShardId } from '../../core/shard-ids.js';
import { formatHours } from '../../core/stream-attributes.js';
import type { Checkpoint, GroupShardLag, StreamDescription } from '../../core/stream-types.js';
import { MAX_LINEAGE_SHARDS, keySpaceFraction, lineageSvg, percent, shardBarSvg } from '../charts/shard-map.js';
import { sparklineSvg } from '../charts/sparkline.js';
import { formatAgeMs, formatBytes, formatCount, formatMs, formatRate, formatTime } from '../format.js';
import { type Html, html } from '../html.js';
import { type PageContext, renderPage } from '../layout.js';
import { paths } from '../paths.js';
import type { StreamRow } from '../sampler.js';

export interface StreamView {
  description: StreamDescription;
  groups: GroupShardLag[];
  row: StreamRow | null;
  now: number;
}

export function checkpointText(checkpoint: Checkpoint | null): string {
  if (checkpoint === null) return 'not started';
  if ('sequence' in checkpoint) {
    const { counter } = parseSequence(checkpoint.sequence);
    return counter === 0 ? 'start (nothing read)' : `record ${formatCount(counter)}`;
  }
  if (checkpoint.sentinel === 'AT_TIMESTAMP') return `AT_TIMESTAMP ${formatTime(checkpoint.timestamp)}`;
  return checkpoint.sentinel;
}

function shortId(shardId: string): string {
  return `shard ${parseShardId(shardId)}`;
}

function summaryRegion(view: StreamView): Html {
  const d = view.description;
  const records = d.shards.reduce((sum, s) => sum + s.records, 0);
  const bytes = d.shards.reduce((sum, s) => sum + s.bytes, 0);
  return html`<dl class="cards">
<div><dt>Open shards</dt><dd>${d.openShardCount}</dd></div>
<div><dt>Closed shards</dt><dd>${d.shardCount - d.openShardCount}</dd></div>
<div><dt>Records</dt><dd data-field="records">${formatCount(records)}</dd></div>
<div><dt>Bytes</dt><dd>${formatBytes(bytes)}</dd></div>
<div><dt>Puts/s</dt><dd>${formatRate(view.row?.putPerSecond ?? null)}</dd></div>
<div><dt>Retention</dt><dd>${formatHours(d.attributes.retentionMs)}</dd></div>
<div><dt>Records, last minute</dt><dd>${sparklineSvg(view.row?.recordsHistory ?? [records], `records of ${d.name} over the last minute`)}</dd></div>
</dl>`;
}

function mapRegion(view: StreamView): Html {
  const shards = view.description.shards;
  const graph = shards.length > MAX_LINEAGE_SHARDS
    ? html`<p class="muted">${shards.length} shards are too many to draw; the table below names each shard's parents.</p>`
    : html`<div class="graph" tabindex="0" role="region" aria-label="Lineage graph">${lineageSvg(shards)}</div>`;
  return html`<h2>Hash key ranges of the open shards</h2>${shardBarSvg(shards)}<p class="muted">From 0 on the left to 2<sup>128</sup>−1 on the right.</p><h2>Lineage</h2>${graph}`;
}

function shardsRegion(view: StreamView): Html {
  const { description: d, now } = view;
  return html`${d.shards.map((s) => {
    const start = keySpaceFraction(s.hashKeyRange.startingHashKey);
    const end = keySpaceFraction((BigInt(s.hashKeyRange.endingHashKey) + 1n).toString());
    const parents = parentIds(s);
    return html`<tr data-shard="${s.shardId}"><td><a href="${paths.shard(d.name, s.shardId)}">${s.shardId}</a></td><td class="${s.state === 'closed' ? 'muted' : ''}">${s.state}</td><td class="n">${percent(start)}–${percent(end)}</td><td>${parents.length > 0 ? parents.map(shortId).join(', ') : html`<span class="muted">–</span>`}</td><td class="n">${formatCount(s.records)}</td><td class="n">${formatBytes(s.bytes)}</td><td>${s.lastArrivedAt === null ? html`<span class="muted">–</span>` : html`${formatAgeMs(now - s.lastArrivedAt)} ago`}</td></tr>`;
  })}`;
}

function groupsRegion(view: StreamView): Html {
  const { groups, now } = view;
  if (groups.length === 0) return html`<tr><td colspan="6" class="empty">No consumer group has read this stream. <code>mq tail STREAM --group G</code> or <code>mq consume</code> makes one.</td></tr>`;
  return html`${groups.map((g) => html`<tr data-group="${g.group}" data-shard="${g.shardId}"><td>${g.group}</td><td>${shortId(g.shardId)}</td><td>${checkpointText(g.checkpoint)}${g.updatedAt > 0 ? html`<br><span class="muted">${formatAgeMs(now - g.updatedAt)} ago</span>` : ''}</td><td>${g.leaseOwner !== undefined ? html`${g.leaseOwner}<br><span class="muted">for ${formatAgeMs((g.leaseExpiresAt ?? now) - now)}</span>` : html`<span class="muted">none</span>`}</td><td class="n ${g.lagRecords > 0 ? 'warn' : ''}">${formatCount(g.lagRecords)}</td><td class="n">${formatMs(g.lagMs)}</td></tr>`)}`;
}

export function streamRegions(view: StreamView): Record<string, Html> {
  return { summary: summaryRegion(view), map: mapRegion(view), shards: shardsRegion(view), groups: groupsRegion(view) };
}

export function streamPage(ctx: PageContext, view: StreamView): string {
  const name = view.description.name;
  const regions = streamRegions(view);
  const main = html`<h1>Stream ${name}</h1>
<section aria-label="Summary" data-live="summary">${regions.summary}</section>
<section data-live="map">${regions.map}</section>
<h2 id="shards">Shards</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="shards"><table aria-labelledby="shards"><thead><tr><th scope="col">Shard (live tail)</th><th scope="col">State</th><th scope="col" class="n">Keys</th><th scope="col">Parents</th><th scope="col" class="n">Records</th><th scope="col" class="n">Bytes</th><th scope="col">Newest record</th></tr></thead><tbody data-live="shards">${regions.shards}</tbody></table></div>
<h2 id="groups">Consumer groups</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="groups"><table aria-labelledby="groups"><thead><tr><th scope="col">Group</th><th scope="col">Shard</th><th scope="col">Checkpoint</th><th scope="col">Lease holder</th><th scope="col" class="n">Lag (records)</th><th scope="col" class="n">Lag (time)</th></tr></thead><tbody data-live="groups">${regions.groups}</tbody></table></div>`;
  return renderPage(ctx, { title: `Stream ${name}`, crumbs: [{ href: paths.stream(name), label: name }], main, refreshSeconds: 5 });
}
