// What a queue message carries besides its body, as NATS headers: attributes (base64url JSON: header
// values cannot hold CR or LF), the group and dedup id, and, for a message that was moved (a delayed
// message made visible, a dead letter), the id, send time, source queue and receive count it keeps.
// A message that was never moved has none of those: its id comes from its stream sequence. Pure.
import type { MessageAttributes } from '../../core/message.js';

export const H = {
  msgId: 'Nats-Msg-Id',
  id: 'Mq-Id',
  sentAt: 'Mq-Sent',
  attributes: 'Mq-Attrs',
  group: 'Mq-Group',
  dedupId: 'Mq-Dedup',
  source: 'Mq-Source',
  receives: 'Mq-Receives',
  delayMs: 'Mq-Delay',
} as const;

export interface MessageMeta {
  id?: string;
  sentAt?: number;
  attributes: MessageAttributes;
  group?: string;
  dedupId?: string;
  deadLetterSource?: string;
  // Receives before this message was moved (into a dead-letter queue): its receive counts go on from there.
  receivesBefore: number;
  // A delayed message of a standard queue: how long after its stream time it becomes visible.
  delayMs?: number;
}

export function encodeMeta(meta: MessageMeta): Record<string, string> {
  const headers: Record<string, string> = {};
  if (meta.id !== undefined) headers[H.id] = meta.id;
  if (meta.sentAt !== undefined) headers[H.sentAt] = String(meta.sentAt);
  if (Object.keys(meta.attributes).length > 0) headers[H.attributes] = Buffer.from(JSON.stringify(meta.attributes), 'utf8').toString('base64url');
  if (meta.group !== undefined) headers[H.group] = meta.group;
  if (meta.dedupId !== undefined) headers[H.dedupId] = meta.dedupId;
  if (meta.deadLetterSource !== undefined) headers[H.source] = meta.deadLetterSource;
  if (meta.receivesBefore > 0) headers[H.receives] = String(meta.receivesBefore);
  if (meta.delayMs !== undefined && meta.delayMs > 0) headers[H.delayMs] = String(meta.delayMs);
  return headers;
}

export function decodeMeta(headers: Map<string, string>): MessageMeta {
  const meta: MessageMeta = { attributes: {}, receivesBefore: 0 };
  const id = headers.get(H.id);
  if (id) meta.id = id;
  const sentAt = Number(headers.get(H.sentAt));
  if (Number.isSafeInteger(sentAt) && sentAt > 0) meta.sentAt = sentAt;
  const attributes = headers.get(H.attributes);
  if (attributes) {
    try {
      const parsed = JSON.parse(Buffer.from(attributes, 'base64url').toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) meta.attributes = parsed as MessageAttributes;
    } catch {
      // Not ours: no attributes.
    }
  }
  const group = headers.get(H.group);
  if (group) meta.group = group;
  const dedupId = headers.get(H.dedupId);
  if (dedupId) meta.dedupId = dedupId;
  const source = headers.get(H.source);
  if (source) meta.deadLetterSource = source;
  const receives = Number(headers.get(H.receives));
  if (Number.isSafeInteger(receives) && receives > 0) meta.receivesBefore = receives;
  const delayMs = Number(headers.get(H.delayMs));
  if (Number.isSafeInteger(delayMs) && delayMs > 0) meta.delayMs = delayMs;
  return meta;
}

// The bytes headers take on the wire ("NATS/1.0\r\n", each "Key: value\r\n", a blank line), for the
// max_payload check.
export function headerBytes(headers: Record<string, string>): number {
  let size = 12;
  for (const [key, value] of Object.entries(headers)) size += Buffer.byteLength(key) + Buffer.byteLength(value) + 4;
  return size;
}
