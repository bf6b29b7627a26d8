// Receipts of the file store: the queue's name and the path of one delivery's in-flight file relative
// to the queue, base64url encoded so scripts treat them as opaque. Each engine parses the path with its
// own strict grammar before any path is built from it; a receipt issued by another queue is refused.
import { MqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import { relativePath as relativePathBelowQueues } from '../layout.js';

const VERSION = 'r1';

export function encodeReceipt(queue: string, relativePath: string): string {
  return `${VERSION}.${Buffer.from(relativePathBelowQueues(queue, relativePath)).toString('base64url')}`;
}

export function invalidReceipt(receipt: string, why = 'not a receipt issued by mq'): MqError {
  const shown = receipt.length > 40 ? `${receipt.slice(0, 37)}...` : receipt;
  return new MqError('RECEIPT_INVALID', `invalid receipt ${JSON.stringify(shown)}: ${why}`);
}

// The delivery path a receipt names, parsed by `parse` (null: malformed).
export function decodeReceipt<T>(queue: string, receipt: string, parse: (relativePath: string) => T | null): T {
  const [version, payload, ...rest] = receipt.trim().split('.');
  if (version !== VERSION || !payload || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload)) throw invalidReceipt(receipt);
  const decoded = Buffer.from(payload, 'base64url').toString('utf8');
  const slash = decoded.indexOf('/');
  const owner = decoded.slice(0, slash);
  const parsed = slash > 0 ? parse(decoded.slice(slash + 1)) : null;
  if (parsed === null) throw invalidReceipt(receipt);
  try {
    validateQueueName(owner);
  } catch {
    throw invalidReceipt(receipt);
  }
  if (owner !== queue) throw invalidReceipt(receipt, `it was issued by queue "${owner}", not "${queue}"`);
  return parsed;
}
