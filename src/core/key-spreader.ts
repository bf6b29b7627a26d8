// Records put without a partition key: instead of a fresh random key (and its MD5) per record, a put
// process finds once, for each open shard, a key of its own whose MD5 falls in that shard's range, and
// hands records out round-robin over the shards, each under its shard's key. The keys are what
// `createRandomKeyFactory` makes (a random per-process prefix and a counter), so each record still
// carries a key that routes to the shard it is in, and records of different processes carry different
// keys. A shard whose range is too narrow for a key to be found within the tries allowed (about
// 1/(64·N) of the hash space or less, only made by splits at chosen hash keys) gets no records this way.
import type { ShardDefinition, ShardRouter } from './shard-map.js';

export interface ShardKey {
  shard: ShardDefinition;
  key: string;
}

export interface KeySpreader {
  // The shard (and its key) of the next record without a key.
  next(): ShardKey;
  readonly keys: readonly ShardKey[];
}

// Tries up to `maxTries` keys (default 64 per open shard) and returns one per shard found, in shard
// index order. `hashHex` is the partition key's MD5 as 32 hex digits; `route` maps it to its open shard.
export function findShardKeys(
  open: readonly ShardDefinition[],
  nextKey: () => string,
  hashHex: (key: string) => string,
  route: ShardRouter,
  maxTries = 64 * open.length,
): ShardKey[] {
  const found = new Map<number, ShardKey>();
  if (open.length === 1) {
    found.set(open[0]!.index, { shard: open[0]!, key: nextKey() });
  } else {
    for (let tries = 0; found.size < open.length && tries < Math.max(1, maxTries); tries++) {
      const key = nextKey();
      const shard = route(hashHex(key));
      if (!found.has(shard.index)) found.set(shard.index, { shard, key });
    }
  }
  return [...found.values()].sort((a, b) => a.shard.index - b.shard.index);
}

export function createKeySpreader(keys: ShardKey[]): KeySpreader {
  if (keys.length === 0) throw new Error('a key spreader needs at least one shard key');
  let at = 0;
  return {
    keys,
    next() {
      const key = keys[at]!;
      at = at + 1 === keys.length ? 0 : at + 1;
      return key;
    },
  };
}
