// FIFO rules of SQS: message group and deduplication ids, content-based deduplication, the 5-minute
// deduplication window.
import { MqError } from './errors.js';
import { hashHex } from './lazy-crypto.js';

export const DEDUP_WINDOW_MS = 5 * 60_000;

// 1-128 characters: letters, digits and printable ASCII punctuation (SQS).
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

function checkFifoId(value: string, what: string): string {
  if (!FIFO_ID.test(value)) {
    throw new MqError('INVALID_ARGUMENT', `invalid ${what} ${JSON.stringify(value)}: use 1-128 printable ASCII characters without spaces`);
  }
  return value;
}

export const checkGroupId = (group: string) => checkFifoId(group, 'message group id');
export const checkDedupId = (dedupId: string) => checkFifoId(dedupId, 'deduplication id');

// Content-based deduplication: the SHA-256 of the body only (attributes do not count).
export function contentDedupId(body: string): string {
  return hashHex('sha256', body);
}

// The key a send is deduplicated by: its dedup id, within the group when the scope is the group.
export function dedupKey(dedupId: string, group: string, scope: 'queue' | 'group'): string {
  return hashHex('sha256', scope === 'group' ? `${group}\n${dedupId}` : dedupId);
}
