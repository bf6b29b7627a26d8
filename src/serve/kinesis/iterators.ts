// Shard iterators: opaque tokens that name a stream, a shard and a position in it, and expire 5 minutes
// after they were issued (ExpiredIteratorException), as Kinesis's do. The position is resolved when the
// iterator is made (LATEST becomes "after the last record now"), so records put between GetShardIterator
// and GetRecords are not skipped. Tokens are base64 JSON: nothing secret, checked strictly when read.
import { validateStreamName } from '../../core/names.js';
import { parseShardId } from '../../core/shard-ids.js';
import { parseSequence } from '../../core/sequence-numbers.js';
import type { StreamPosition } from '../../core/stream-types.js';
import { ApiError } from '../api/api-error.js';

export const ITERATOR_LIFETIME_MS = 5 * 60_000;

export interface ShardIterator {
  stream: string;
  shardId: string;
  position: Extract<StreamPosition, { type: 'trim-horizon' | 'at-sequence' | 'after-sequence' | 'at-timestamp' }>;
  issuedAt: number;
}

type Wire = [version: 1, stream: string, shardId: string, kind: 'T' | 'A' | 'F' | 'S', value: string | number | null, issuedAt: number];

export function encodeIterator(iterator: ShardIterator): string {
  const { position } = iterator;
  const [kind, value]: [Wire[3], Wire[4]] =
    position.type === 'trim-horizon' ? ['T', null]
      : position.type === 'at-sequence' ? ['A', position.sequence]
        : position.type === 'after-sequence' ? ['F', position.sequence]
          : ['S', position.timestamp];
  const wire: Wire = [1, iterator.stream, iterator.shardId, kind, value, iterator.issuedAt];
  return Buffer.from(JSON.stringify(wire)).toString('base64');
}

export function invalidIterator(): ApiError {
  return new ApiError('InvalidArgumentException', 'Invalid ShardIterator.');
}

export function decodeIterator(token: string, nowMs: number): ShardIterator {
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidIterator();
  }
  if (!Array.isArray(wire) || wire.length !== 6 || wire[0] !== 1) throw invalidIterator();
  const [, stream, shardId, kind, value, issuedAt] = wire as Wire;
  try {
    validateStreamName(stream);
    parseShardId(shardId);
    if ((kind === 'A' || kind === 'F') && typeof value === 'string') parseSequence(value);
  } catch {
    throw invalidIterator();
  }
  if (typeof issuedAt !== 'number' || issuedAt > nowMs + ITERATOR_LIFETIME_MS) throw invalidIterator();
  if (nowMs - issuedAt > ITERATOR_LIFETIME_MS) {
    throw new ApiError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(issuedAt).toUTCString()} while right now it is ${new Date(nowMs).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
    );
  }
  let position: ShardIterator['position'];
  if (kind === 'T') position = { type: 'trim-horizon' };
  else if (kind === 'A' && typeof value === 'string') position = { type: 'at-sequence', sequence: value };
  else if (kind === 'F' && typeof value === 'string') position = { type: 'after-sequence', sequence: value };
  else if (kind === 'S' && typeof value === 'number') position = { type: 'at-timestamp', timestamp: value };
  else throw invalidIterator();
  return { stream, shardId, position, issuedAt };
}
