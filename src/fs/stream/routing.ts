// The first half of a put: every record checked (data, key, explicit hash key, size) and the valid ones
// grouped by the open shard their hash key falls in, each keeping its place in the request for the outcome.
import { MqError, invalidArgument, isMqError } from '../../core/errors.js';
import { hashKeyHex, parseExplicitHashKey, partitionKeyHashHex } from '../../core/hash-keys.js';
import { type ShardDefinition, type ShardRouter, createShardRouter } from '../../core/shard-map.js';
import { checkPartitionKey, checkRecordSize } from '../../core/stream-records.js';
import type { PutOutcome, PutRequest } from '../../core/stream-types.js';
import type { StreamContext } from './stream-context.js';
import type { ShardRecords } from './append.js';
import { validUtf8 } from './line-writer.js';

export interface ShardBatch {
  shard: ShardDefinition;
  // Where each record stands in the request.
  indexes: number[];
  records: ShardRecords;
}

// Fills `outcomes` for the refused records and returns the others grouped by shard index. `only` routes
// just those requests (by index), again, after their shard closed under them.
export function routeRecords(ctx: StreamContext, requests: PutRequest[], outcomes: PutOutcome[], only?: number[]): Map<number, ShardBatch> {
  const router: ShardRouter = createShardRouter(ctx.config.shards);
  const onlyShard = ctx.config.shards.filter((s) => s.state === 'open').length === 1;
  const { maxRecordBytes } = ctx.config.attributes;
  const batches = new Map<number, ShardBatch>();
  // A batch usually repeats one key (or one explicit hash key): hash it once.
  let lastKey: string | undefined;
  let lastKeyRoute: { shard: ShardDefinition; keyJson: string } | undefined;
  let lastExplicit: string | undefined;
  let lastExplicitShard: ShardDefinition | undefined;
  const count = only ? only.length : requests.length;
  for (let n = 0; n < count; n++) {
    const i = only ? only[n]! : n;
    const request = requests[i]!;
    try {
      const { data } = request;
      if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw invalidArgument('record data must be a string or bytes');
      if (typeof data !== 'string' && !validUtf8(data)) throw new MqError('INVALID_ARGUMENT', 'record data is not valid UTF-8');
      let key: string;
      let keyJson: string;
      let shard: ShardDefinition;
      if (request.partitionKey === undefined) {
        // Random keys are base64url and base36 characters: nothing to escape, and short enough.
        key = ctx.env.randomKey();
        keyJson = `"${key}"`;
        shard = onlyShard ? router('') : router(partitionKeyHashHex(key));
      } else if (request.partitionKey === lastKey) {
        key = lastKey;
        ({ shard, keyJson } = lastKeyRoute!);
      } else {
        key = checkPartitionKey(request.partitionKey);
        keyJson = JSON.stringify(key);
        shard = onlyShard ? router('') : router(partitionKeyHashHex(key));
        lastKey = key;
        lastKeyRoute = { shard, keyJson };
      }
      checkRecordSize(data, key, maxRecordBytes);
      if (request.explicitHashKey !== undefined) {
        if (request.explicitHashKey !== lastExplicit) {
          lastExplicitShard = router(hashKeyHex(parseExplicitHashKey(request.explicitHashKey)));
          lastExplicit = request.explicitHashKey;
        }
        shard = lastExplicitShard!;
      }
      let batch = batches.get(shard.index);
      if (!batch) batches.set(shard.index, (batch = { shard, indexes: [], records: { keyJsons: [], datas: [] } }));
      batch.indexes.push(i);
      batch.records.keyJsons.push(keyJson);
      batch.records.datas.push(data);
    } catch (error) {
      if (!isMqError(error)) throw error;
      outcomes[i] = { ok: false, error };
    }
  }
  return batches;
}
