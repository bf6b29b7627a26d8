// A queue's page: its counts (live), settings, receive-count histogram (live), a peek at its next
// messages (live; nothing is received), and the forms that change it: send, purge (confirmed on a page
// of its own) and, for a dead-letter queue, redrive. Every value from a message is escaped by `html`.
import { type MessageAttributeValue, type MessageAttributes, attributeType } from '../../core/message.js';
import type { PeekedMessage, QueueStats } from '../../core/queue-types.js';
import { formatDuration, formatSize } from '../../core/units.js';
import { barSvg, sparklineSvg } from '../charts/sparkline.js';
import { formatAgeMs, formatCount, formatRate, formatTime } from '../format.js';
import { type Html, html } from '../html.js';
import { type Notice, type PageContext, csrfField, renderPage } from '../layout.js';
import { paths } from '../paths.js';
import type { QueueRow } from '../sampler.js';

// A body longer than this is cut on the page (the rest is said, not shown).
export const BODY_PREVIEW_CHARS = 2000;
export const DEFAULT_PEEK = 20;
export const MAX_PEEK = 100;

export interface QueueView {
  stats: QueueStats;
  peeked: PeekedMessage[];
  peekCount: number;
  // Rates and history from the overview sampler, when it has seen the queue.
  row: QueueRow | null;
  // For a dead-letter queue: how many of its first messages came from each source queue.
  sourceCounts: Record<string, number> | null;
  // The other queues (redrive destinations).
  queueNames: string[];
  // Whether the store keeps a receive-count histogram (BackendTraits.exactStats; JetStream does not).
  receiveCountsKept: boolean;
  now: number;
}

export interface SendDraft {
  body: string;
  attributes: string;
  delay: string;
  group: string;
  dedupId: string;
}

function countsRegion(view: QueueView): Html {
  const { stats, row, now } = view;
  const dlq = stats.deadLetter;
  return html`<dl class="cards">
<div><dt>Visible</dt><dd data-field="visible">${formatCount(stats.visible)}</dd></div>
<div><dt>In flight</dt><dd data-field="inFlight">${formatCount(stats.inFlight)}</dd></div>
<div><dt>Delayed</dt><dd data-field="delayed">${formatCount(stats.delayed)}</dd></div>
<div><dt>Oldest</dt><dd>${formatAgeMs(stats.oldestSentAt === null ? null : now - stats.oldestSentAt)}</dd></div>
${dlq ? html`<div><dt>Dead letters</dt><dd><a href="${paths.queue(dlq.queue)}">${dlq.depth === null ? 'missing' : formatCount(dlq.depth)}</a></dd></div>` : ''}
<div><dt>In/s · out/s</dt><dd>${formatRate(row?.inPerSecond ?? null)} · ${formatRate(row?.outPerSecond ?? null)}</dd></div>
${stats.damaged > 0 ? html`<div><dt>Unreadable</dt><dd class="bad">${formatCount(stats.damaged)}</dd></div>` : ''}
<div><dt>Visible, last minute</dt><dd>${sparklineSvg(row?.visibleHistory ?? [stats.visible], `visible messages of ${stats.name} over the last minute`)}</dd></div>
</dl>`;
}

function histogramRegion(view: QueueView): Html {
  if (!view.receiveCountsKept) return html`<tr><td colspan="2" class="empty">This store keeps no receive counts per message (each message's receives are below).</td></tr>`;
  const { stats } = view;
  const entries = Object.entries(stats.receiveCounts).map(([count, n]) => [Number(count), n] as const).sort((a, b) => a[0] - b[0]);
  if (entries.length === 0) return html`<tr><td colspan="2" class="empty">No messages stored.</td></tr>`;
  const max = Math.max(...entries.map(([, n]) => n));
  return html`${entries.map(([count, n]) => html`<tr><th scope="row">${count === 0 ? 'never received' : `${count} ${count === 1 ? 'time' : 'times'}`}</th><td class="n">${formatCount(n)}${barSvg(n / max, `${n} of the stored messages`)}</td></tr>`)}`;
}

function bodyCell(body: string): Html {
  if (body.length <= BODY_PREVIEW_CHARS) return html`<pre class="body">${body}</pre>`;
  return html`<pre class="body">${body.slice(0, BODY_PREVIEW_CHARS)}</pre><p class="muted">… and ${formatCount(body.length - BODY_PREVIEW_CHARS)} more characters</p>`;
}

function attributesCell(attributes: MessageAttributes): Html {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return html`<span class="muted">–</span>`;
  return html`<dl class="settings">${entries.map(([key, value]) => html`<dt>${key}</dt><dd>${attributeValueCell(value)}</dd>`)}</dl>`;
}

// A String attribute as its text; a typed one (Number, Binary, with a label) with its type beside it,
// a Binary value as its base64 text.
function attributeValueCell(value: MessageAttributeValue): Html {
  if (typeof value === 'string') return html`<pre>${value}</pre>`;
  const text = 'binary' in value ? value.binary : value.value;
  return html`<pre>${text}</pre><span class="muted">${attributeType(value)}</span>`;
}

function messagesRegion(view: QueueView): Html {
  const fifo = view.stats.attributes.fifo;
  if (view.peeked.length === 0) return html`<tr><td colspan="${fifo ? 7 : 6}" class="empty">No messages.</td></tr>`;
  return html`${view.peeked.map((m) => html`<tr data-message="${m.id}"><td><code>${m.id}</code>${m.deadLetterSource !== undefined ? html`<br><span class="muted">from</span> <a href="${paths.queue(m.deadLetterSource)}">${m.deadLetterSource}</a>` : ''}</td><td>${m.state === 'inFlight' ? 'in flight' : m.state}${m.state !== 'visible' ? html`<br><span class="muted">until ${formatTime(m.visibleAt)}</span>` : ''}</td><td class="n">${m.receiveCount}</td><td>${formatTime(m.sentAt)}</td>${fifo ? html`<td>${m.group ?? ''}<br><span class="muted">${m.sequence ?? ''}</span></td>` : ''}<td>${attributesCell(m.attributes)}</td><td class="wrap">${bodyCell(m.body)}</td></tr>`)}`;
}

export function queueRegions(view: QueueView): Record<string, Html> {
  return { counts: countsRegion(view), histogram: histogramRegion(view), messages: messagesRegion(view) };
}

function settingsSection(stats: QueueStats): Html {
  const a = stats.attributes;
  return html`<dl class="settings">
<dt>Type</dt><dd>${a.fifo ? 'FIFO' : 'standard'}</dd>
<dt>Visibility timeout</dt><dd>${formatDuration(a.visibilityTimeoutMs)}</dd>
<dt>Retention</dt><dd>${formatDuration(a.retentionMs)}</dd>
<dt>Delay</dt><dd>${formatDuration(a.delayMs)}</dd>
<dt>Maximum size</dt><dd>${formatSize(a.maxMessageBytes)}</dd>
<dt>Receive wait</dt><dd>${formatDuration(a.receiveWaitMs)}</dd>
<dt>Durability</dt><dd>${a.durability}</dd>
<dt>Dead-letter queue</dt><dd>${a.deadLetter ? html`<a href="${paths.queue(a.deadLetter.queue)}">${a.deadLetter.queue}</a> after ${a.deadLetter.maxReceives} receives` : 'none'}</dd>
${a.fifo ? html`<dt>Deduplication</dt><dd>${a.contentDedup ? 'by content, ' : ''}per ${a.dedupScope}</dd>` : ''}
</dl>`;
}

function sendForm(ctx: PageContext, stats: QueueStats, draft: SendDraft | null): Html {
  const fifo = stats.attributes.fifo;
  return html`<form class="stack" method="post" action="${paths.queueMessages(stats.name)}">${csrfField(ctx)}<input type="hidden" name="queue" value="${stats.name}">
<label><span>Body</span><textarea name="body" required>${draft?.body ?? ''}</textarea></label>
<label><span>Attributes, one <code>NAME=VALUE</code> per line</span><textarea name="attributes" rows="2">${draft?.attributes ?? ''}</textarea></label>
<div class="row">${fifo
    ? html`<label><span>Group</span><input name="group" required value="${draft?.group ?? ''}"></label><label><span>Deduplication id${stats.attributes.contentDedup ? ' (optional)' : ''}</span><input name="dedupId" value="${draft?.dedupId ?? ''}"${stats.attributes.contentDedup ? '' : html` required`}></label>`
    : html`<label><span>Delay (e.g. 30s, optional)</span><input name="delay" value="${draft?.delay ?? ''}"></label>`}</div>
<button type="submit">Send message</button></form>`;
}

function deadLetterSection(ctx: PageContext, view: QueueView, redriveRunning: boolean): Html {
  const { stats } = view;
  const sources = view.sourceCounts ?? {};
  const known = [...new Set([...stats.deadLetterSources, ...Object.keys(sources)])].sort();
  const rows = known.map((source) => html`<tr><td><a href="${paths.queue(source)}">${source}</a></td><td>${stats.deadLetterSources.includes(source) ? 'names this queue as its dead-letter queue' : html`<span class="muted">no longer names this queue</span>`}</td><td class="n">${formatCount(sources[source] ?? 0)}</td></tr>`);
  const sampled = Object.values(sources).reduce((a, b) => a + b, 0);
  const destinations = view.queueNames.filter((name) => name !== stats.name && view.stats.attributes.fifo === name.endsWith('.fifo'));
  const form = ctx.readOnly ? '' : redriveRunning
    ? html`<p><a class="button" href="${paths.queueRedrive(stats.name)}">Redrive in progress: show it</a></p>`
    : html`<form class="stack" method="post" action="${paths.queueRedrive(stats.name)}">${csrfField(ctx)}<input type="hidden" name="queue" value="${stats.name}">
<div class="row"><label><span>Move to</span><select name="to"><option value="">each message's source queue</option>${destinations.map((name) => html`<option value="${name}">${name}</option>`)}</select></label><label><span>At most, per second (optional)</span><input name="rate" inputmode="numeric" pattern="[0-9]*"></label></div>
<button type="submit">Redrive dead letters</button></form>`;
  return html`<h2 id="sources">Where its messages came from</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="sources"><table aria-labelledby="sources"><thead><tr><th scope="col">Source queue</th><th scope="col">Policy</th><th scope="col" class="n">Messages${sampled >= 1000 ? ' (of the first 1,000)' : ''}</th></tr></thead><tbody>${rows.length > 0 ? rows : html`<tr><td colspan="3" class="empty">No source recorded.</td></tr>`}</tbody></table></div>
${form}`;
}

// Whether the queue page offers redrive: a queue that is some queue's dead-letter queue or holds dead letters.
export function isDeadLetterQueue(view: QueueView): boolean {
  return view.stats.deadLetterSources.length > 0 || Object.keys(view.sourceCounts ?? {}).length > 0;
}

export function queuePage(ctx: PageContext, view: QueueView, options: { notice?: Notice | null; draft?: SendDraft | null; redriveRunning?: boolean } = {}): string {
  const { stats } = view;
  const regions = queueRegions(view);
  const fifo = stats.attributes.fifo;
  const main = html`<h1>Queue ${stats.name}${fifo ? html`<span class="tag">FIFO</span>` : ''}</h1>
<section aria-label="Counts" data-live="counts">${regions.counts}</section>
<div class="panels"><section><h2>Settings</h2>${settingsSection(stats)}</section>
<section><h2 id="histogram">Receive counts</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="histogram"><table aria-labelledby="histogram"><thead><tr><th scope="col">Received</th><th scope="col" class="n">Messages</th></tr></thead><tbody data-live="histogram">${regions.histogram}</tbody></table></div></section></div>
${isDeadLetterQueue(view) ? deadLetterSection(ctx, view, options.redriveRunning ?? false) : ''}
<h2 id="messages">Messages</h2>
<p class="muted">The next ${view.peekCount} in the order a receive would take them, then those in flight. Looking receives nothing. <a href="?n=${MAX_PEEK}">Show ${MAX_PEEK}</a></p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="messages"><table aria-labelledby="messages"><thead><tr><th scope="col">Message</th><th scope="col">State</th><th scope="col" class="n">Receives</th><th scope="col">Sent</th>${fifo ? html`<th scope="col">Group, sequence</th>` : ''}<th scope="col">Attributes</th><th scope="col">Body</th></tr></thead><tbody data-live="messages">${regions.messages}</tbody></table></div>
${ctx.readOnly ? '' : html`<div class="panels"><section><h2>Send a message</h2>${sendForm(ctx, stats, options.draft ?? null)}</section>
<section><h2>Purge</h2><p>Deletes every message of ${stats.name}: visible, delayed and in flight.</p><p><a class="button danger" href="${paths.queuePurge(stats.name)}">Purge ${stats.name}…</a></p></section></div>`}`;
  return renderPage(ctx, { title: `Queue ${stats.name}`, crumbs: [{ href: paths.queue(stats.name), label: stats.name }], main, notice: options.notice ?? null });
}

export function purgePage(ctx: PageContext, stats: QueueStats, notice: Notice | null = null): string {
  const stored = stats.visible + stats.inFlight + stats.delayed;
  const main = html`<h1>Purge queue ${stats.name}?</h1>
<p>This deletes all ${formatCount(stored)} messages of <strong>${stats.name}</strong> (${formatCount(stats.visible)} visible, ${formatCount(stats.inFlight)} in flight, ${formatCount(stats.delayed)} delayed). It cannot be undone.</p>
<form class="stack" method="post" action="${paths.queuePurge(stats.name)}">${csrfField(ctx)}<input type="hidden" name="queue" value="${stats.name}">
<label><span>Type the queue's name, ${stats.name}, to confirm</span><input name="confirm" required autocomplete="off" spellcheck="false"></label>
<div class="row"><button type="submit" class="danger">Purge ${stats.name}</button><a class="button" href="${paths.queue(stats.name)}">Cancel</a></div></form>`;
  return renderPage(ctx, { title: `Purge ${stats.name}`, crumbs: [{ href: paths.queue(stats.name), label: stats.name }, { href: paths.queuePurge(stats.name), label: 'purge' }], main, notice });
}
