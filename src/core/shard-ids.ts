// Shard ids as Kinesis writes them, "shardId-" and 12 digits of the shard's index; the CLI also accepts
// the bare index ("3").
import { invalidArgument } from './errors.js';

const SHARD_ID = /^shardId-(\d{12})$/;
const BARE_INDEX = /^\d{1,12}$/;

export function formatShardId(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

// The index of a shard id given as "shardId-000000000003" or "3".
export function parseShardId(text: string): number {
  const match = SHARD_ID.exec(text) ?? (BARE_INDEX.test(text) ? [text, text] : null);
  if (!match) throw invalidArgument(`invalid shard id ${JSON.stringify(text)}: use shardId-000000000003 or 3`);
  return Number(match[1]);
}

// The canonical id of a shard given in either form.
export function normalizeShardId(text: string): string {
  return formatShardId(parseShardId(text));
}
