// Parsing what the stream commands take: shard ids ("3" or "shardId-000000000003"), read positions for
// --from and the shards they name, and the partition key of a JSON line for --key-field.
import { InvalidArgumentError } from 'commander';
import { MqError, invalidArgument, isMqError } from '../../core/errors.js';
import type { StreamStore } from '../../core/stream-store.js';
import { parseSequence } from '../../core/sequence-numbers.js';
import { formatShardId, normalizeShardId } from '../../core/shard-ids.js';
import type { StreamPosition } from '../../core/stream-types.js';
import { parseTimestamp } from '../../core/units.js';

export const shardOption = (value: string): string => {
  try {
    return normalizeShardId(value);
  } catch (error) {
    if (isMqError(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
};

// --from: trim-horizon | latest | at:SEQ | after:SEQ | a time (ISO-8601, epoch ms, or -15m).
export function parsePosition(text: string, nowMs: number): StreamPosition {
  const lower = text.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon') return { type: 'trim-horizon' };
  if (lower === 'latest') return { type: 'latest' };
  if (lower.startsWith('at:')) return { type: 'at-sequence', sequence: checkedSequence(text.slice(3)) };
  if (lower.startsWith('after:')) return { type: 'after-sequence', sequence: checkedSequence(text.slice(6)) };
  try {
    return { type: 'at-timestamp', timestamp: parseTimestamp(text, nowMs, '--from') };
  } catch {
    throw invalidArgument(`invalid --from ${JSON.stringify(text)}: use trim-horizon, latest, at:SEQUENCE, after:SEQUENCE or a time (ISO-8601, epoch ms, -15m)`);
  }
}

function checkedSequence(text: string): string {
  parseSequence(text);
  return text;
}

// The shard a sequence-number position names (a sequence number carries its shard).
export function shardOfPosition(position: StreamPosition): string | null {
  if (position.type !== 'at-sequence' && position.type !== 'after-sequence') return null;
  return formatShardId(parseSequence(position.sequence).shardIndex);
}

// The shards to read: the one given, the one a sequence-number position names, or all of them.
export async function shardsToRead(store: StreamStore, stream: string, shard: string | undefined, position?: StreamPosition): Promise<string[]> {
  const info = await store.get(stream);
  const named = shardOfPosition(position ?? { type: 'latest' });
  if (shard && named && shard !== named) {
    throw invalidArgument(`sequence number ${(position as { sequence: string }).sequence} belongs to ${named}, not ${shard}`);
  }
  const wanted = shard ?? named;
  if (!wanted) return info.shards.map((s) => s.shardId);
  if (!info.shards.some((s) => s.shardId === wanted)) {
    throw new MqError('SHARD_NOT_FOUND', `stream "${stream}" has no shard ${wanted}`);
  }
  return [wanted];
}
