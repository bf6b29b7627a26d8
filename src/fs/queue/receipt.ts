// Receipts of the file store: the queue's name and the in-flight file name of one delivery, base64url
// encoded so scripts treat them as opaque. A receipt is checked against the in-flight grammar before
// any path is built from it, and one issued by another queue is refused.
import { MqError } from '../../core/errors.js';
import { validateQueueName } from '../../core/names.js';
import { type InFlightName, formatInFlightName, parseInFlightName } from './message-names.js';

const VERSION = 'r1';

export function encodeReceipt(queue: string, name: InFlightName): string {
  return `${VERSION}.${Buffer.from(`${queue}/${formatInFlightName(name)}`).toString('base64url')}`;
}

export function decodeReceipt(queue: string, receipt: string): InFlightName {
  const invalid = (why: string) => new MqError('RECEIPT_INVALID', `invalid receipt ${JSON.stringify(abbreviate(receipt))}: ${why}`);
  const [version, payload, ...rest] = receipt.trim().split('.');
  if (version !== VERSION || !payload || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw invalid('not a receipt issued by mq');
  }
  const decoded = Buffer.from(payload, 'base64url').toString('utf8');
  const slash = decoded.indexOf('/');
  const owner = decoded.slice(0, slash);
  const name = slash > 0 ? parseInFlightName(decoded.slice(slash + 1)) : null;
  if (!name) throw invalid('not a receipt issued by mq');
  try {
    validateQueueName(owner);
  } catch {
    throw invalid('not a receipt issued by mq');
  }
  if (owner !== queue) throw invalid(`it was issued by queue "${owner}", not "${queue}"`);
  return name;
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
