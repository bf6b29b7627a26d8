// How queue results look on stdout: NDJSON records with camelCase fields and ISO-8601 times, and the
// plain-text forms of stats and lists.
import type { PeekedMessage, QueueInfo, QueueStats, ReceivedMessage, SendRequest, SendResult } from '../../core/queue-types.js';
import { md5Hex, md5OfAttributes } from '../../core/message.js';
import type { QueueAttributes } from '../../core/queue-attributes.js';
import { formatDuration, formatSize } from '../../core/units.js';
import { isoTime } from '../output.js';

export function messageRecord(message: ReceivedMessage | PeekedMessage): Record<string, unknown> {
  const record: Record<string, unknown> = { id: message.id };
  if ('receipt' in message && message.receipt !== undefined) record.receipt = message.receipt;
  if ('state' in message) {
    record.state = message.state;
    record.visibleAt = isoTime(message.visibleAt);
  }
  record.body = message.body;
  record.receiveCount = message.receiveCount;
  record.sentAt = isoTime(message.sentAt);
  record.firstReceivedAt = isoTime(message.firstReceivedAt);
  if (message.group !== undefined) record.group = message.group;
  if (message.dedupId !== undefined) record.dedupId = message.dedupId;
  if (message.sequence !== undefined) record.sequence = message.sequence;
  if (message.deadLetterSource !== undefined) record.deadLetterSource = message.deadLetterSource;
  record.attributes = message.attributes;
  return record;
}

// SendMessage's answer: the id, and the MD5 digests of what was sent (hashing only happens for --json).
export function sendRecord(result: SendResult, request: SendRequest): Record<string, unknown> {
  const record: Record<string, unknown> = { id: result.id, md5: md5Hex(request.body) };
  const attributesMd5 = md5OfAttributes(request.attributes ?? {});
  if (attributesMd5) record.md5OfAttributes = attributesMd5;
  if (result.sequence !== undefined) record.sequence = result.sequence;
  if (result.duplicate) record.duplicate = true;
  return record;
}

const seconds = (ms: number) => ms / 1000;

export function settingsRecord(attributes: QueueAttributes): Record<string, unknown> {
  return {
    visibilityTimeoutSeconds: seconds(attributes.visibilityTimeoutMs),
    retentionSeconds: seconds(attributes.retentionMs),
    delaySeconds: seconds(attributes.delayMs),
    maxMessageBytes: attributes.maxMessageBytes,
    receiveWaitSeconds: seconds(attributes.receiveWaitMs),
    durability: attributes.durability,
    ...(attributes.fifo ? { contentDedup: attributes.contentDedup, dedupScope: attributes.dedupScope } : {}),
  };
}

export function queueInfoRecord(info: QueueInfo, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: info.name,
    type: info.attributes.fifo ? 'fifo' : 'standard',
    ...extra,
    ...(info.attributes.deadLetter ? { dlq: { name: info.attributes.deadLetter.queue, maxReceives: info.attributes.deadLetter.maxReceives } } : {}),
    ...settingsRecord(info.attributes),
    createdAt: isoTime(info.createdAt),
    updatedAt: isoTime(info.updatedAt),
  };
}

export function statsRecord(stats: QueueStats, nowMs: number): Record<string, unknown> {
  return {
    name: stats.name,
    type: stats.attributes.fifo ? 'fifo' : 'standard',
    visible: stats.visible,
    inFlight: stats.inFlight,
    delayed: stats.delayed,
    oldestAgeSeconds: stats.oldestSentAt === null ? null : Math.max(0, Math.floor((nowMs - stats.oldestSentAt) / 1000)),
    receiveCounts: stats.receiveCounts,
    ...(stats.deadLetter ? { dlq: { name: stats.deadLetter.queue, maxReceives: stats.deadLetter.maxReceives, depth: stats.deadLetter.depth } } : {}),
    ...(stats.deadLetterSources.length > 0 ? { deadLetterSources: stats.deadLetterSources } : {}),
    ...(stats.damaged > 0 ? { damaged: stats.damaged } : {}),
    ...settingsRecord(stats.attributes),
  };
}

export function statsText(stats: QueueStats, nowMs: number): string[] {
  const a = stats.attributes;
  const age = stats.oldestSentAt === null ? '-' : formatDuration(Math.max(0, Math.floor((nowMs - stats.oldestSentAt) / 1000)) * 1000);
  const histogram = Object.entries(stats.receiveCounts).map(([count, n]) => `${count}x: ${n}`).join(', ') || '-';
  const rows: [string, string][] = [
    ['queue', `${stats.name} (${a.fifo ? 'fifo' : 'standard'})`],
    ['visible', String(stats.visible)],
    ['in flight', String(stats.inFlight)],
    ['delayed', String(stats.delayed)],
    ['oldest', age],
    ['receive counts', histogram],
  ];
  if (stats.deadLetter) {
    const depth = stats.deadLetter.depth === null ? 'missing' : `${stats.deadLetter.depth} messages`;
    rows.push(['dead letters', `${stats.deadLetter.queue} after ${stats.deadLetter.maxReceives} receives (${depth})`]);
  }
  if (stats.deadLetterSources.length > 0) rows.push(['dead letters of', stats.deadLetterSources.join(', ')]);
  if (stats.damaged > 0) rows.push(['damaged', `${stats.damaged} unreadable messages set aside, never delivered`]);
  rows.push(
    ['visibility', formatDuration(a.visibilityTimeoutMs)],
    ['retention', formatDuration(a.retentionMs)],
    ['delay', formatDuration(a.delayMs)],
    ['max size', formatSize(a.maxMessageBytes)],
    ['receive wait', formatDuration(a.receiveWaitMs)],
    ['durability', a.durability],
  );
  if (a.fifo) rows.push(['dedup', `${a.contentDedup ? 'content' : 'explicit ids'}, per ${a.dedupScope}`]);
  return table(rows.map(([k, v]) => [`${k}:`, v]));
}

// Left-aligned columns separated by two spaces; the last column is not padded.
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
