// A shard's live tail: its last records, server-rendered, then (with JavaScript) each new record appended
// as it arrives. Record data and partition keys are escaped by `html`.
import { parseSequence } from '../../core/sequence-numbers.js';
import type { ShardDescription, StreamRecord } from '../../core/stream-types.js';
import { formatCount, formatTime } from '../format.js';
import { type Html, html } from '../html.js';
import { type PageContext, renderPage } from '../layout.js';
import { paths } from '../paths.js';

export const TAIL_RECORDS = 50;
// The page keeps at most this many records on screen.
export const TAIL_KEEP = 200;
export const DATA_PREVIEW_CHARS = 2000;

export function recordItems(records: StreamRecord[]): Html {
  return html`${records.map((r) => html`<li data-sequence="${r.sequence}"><span class="muted">record ${formatCount(parseSequence(r.sequence).counter)} · ${formatTime(r.arrivedAt)} · key</span> <code>${r.partitionKey}</code><pre>${r.data.length > DATA_PREVIEW_CHARS ? `${r.data.slice(0, DATA_PREVIEW_CHARS)}… (${formatCount(r.data.length - DATA_PREVIEW_CHARS)} more characters)` : r.data}</pre></li>`)}`;
}

export function tailPage(ctx: PageContext, stream: string, shard: ShardDescription, records: StreamRecord[]): string {
  const items = records.length > 0 ? recordItems(records) : html`<li class="empty muted">No records yet.</li>`;
  const main = html`<h1>${shard.shardId} of ${stream}</h1>
<p>${shard.state === 'closed' ? 'Closed: no new records arrive here.' : 'Open: new records appear at the bottom as they arrive.'} ${formatCount(shard.records)} records in all; the last ${TAIL_RECORDS} at most are shown first.</p>
<div class="scroll" tabindex="0" role="region" aria-label="Records"><ol class="tail" data-tail="${TAIL_KEEP}" data-after="${records.at(-1)?.sequence ?? ''}" aria-label="Records of ${shard.shardId}">${items}</ol></div>`;
  return renderPage(ctx, {
    title: `${shard.shardId} of ${stream}`,
    crumbs: [{ href: paths.stream(stream), label: stream }, { href: paths.shard(stream, shard.shardId), label: shard.shardId }],
    main,
    refreshSeconds: 5,
  });
}
