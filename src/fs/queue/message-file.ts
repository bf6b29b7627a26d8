// The content of one message file: one line of JSON holding what never changes about a message (body,
// attributes, FIFO group and dedup id). Its identity and state are in the file's name (message-names.ts).
import { MqError } from '../../core/errors.js';
import type { MessageAttributes } from '../../core/message.js';
import type { SendContent } from '../../core/send-rules.js';

export interface MessageContent extends SendContent {
  sequence?: string;
}

const FORMAT_VERSION = 1;

export function encodeMessage(content: MessageContent): string {
  return `${JSON.stringify({ v: FORMAT_VERSION, ...content })}\n`;
}

// Decodes a message file; a torn or foreign file (e.g. zero-length after a power cut) is CORRUPT.
export function decodeMessage(text: string): MessageContent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MqError('CORRUPT', 'message file is not valid JSON', { cause: error });
  }
  const record = value as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || record.v !== FORMAT_VERSION || typeof record.body !== 'string') {
    throw new MqError('CORRUPT', 'message file has an unknown format');
  }
  const content: MessageContent = { body: record.body };
  if (record.attributes && typeof record.attributes === 'object') content.attributes = record.attributes as MessageAttributes;
  for (const key of ['group', 'dedupId', 'sequence'] as const) {
    if (typeof record[key] === 'string') content[key] = record[key];
  }
  return content;
}
