// A put on files: the records are checked and routed to their shards (core/stream-routing.ts), then each
// shard's batch is appended under its lock (append.ts), in shard order. A batch whose shard a reshard
// closed after it was routed is routed again with the newer map, to the children, in the same put.
// Requests and lines of bytes take the same way; they differ only in how a record is read for the checks
// (core's PutSource) and how it is encoded as a line (here).
import { MqError, isMqError } from '../../core/errors.js';
import { formatCounter, sequencePrefix } from '../../core/sequence-numbers.js';
import { formatShardId } from '../../core/shard-ids.js';
import {
  LineSource, type PutSource, RequestSource, type RouteOutcomes, type RoutedKey, type RoutingCache, type ShardBatch, routePut,
  throwIfAnyRefused,
} from '../../core/stream-routing.js';
import {
  LINE_LEFT_OUT, LINE_REFUSED, type LineBlock, type PutLinesOptions, type PutLinesResult, type PutOptions, type PutOutcome, type PutRequest,
} from '../../core/stream-types.js';
import { ring } from '../doorbell.js';
import { type EncodedRecords, appendToShard } from './append.js';
import { viewOf } from './checksum.js';
import type { LineWriter } from './line-writer.js';
import { ShardFiles } from './shard-files.js';
import type { StreamContext } from './stream-context.js';

// A put whose shards keep closing under it gives up after this many rounds of routing (each round
// needs another reshard to have happened meanwhile).
const MAX_ROUTING_ROUNDS = 100;

export async function putRequests(ctx: StreamContext, routings: RoutingCache, requests: PutRequest[], options: PutOptions): Promise<PutOutcome[]> {
  const outcomes = new Array<PutOutcome>(requests.length);
  const refuse = (i: number, error: MqError) => (outcomes[i] = { ok: false, error });
  await putSource(ctx, routings, new RequestSource(requests), {
    refused: refuse,
    leftOut: () => {},
    routed: () => throwIfAnyRefused(outcomes, options.atomic),
    stored: (batch, firstCounter) => {
      const shardId = formatShardId(batch.shard.index);
      const prefix = sequencePrefix(batch.shard.index);
      batch.indexes.forEach((i, n) => (outcomes[i] = { ok: true, shardId, sequence: prefix + formatCounter(firstCounter + n) }));
    },
  }, (batch) => new RequestRecords(batch, requests));
  return outcomes;
}

export async function putLines(ctx: StreamContext, routings: RoutingCache, blocks: LineBlock[], options: PutLinesOptions): Promise<PutLinesResult> {
  const source = new LineSource(blocks, options);
  const { count } = source;
  const result: PutLinesResult = { count, shards: new Int32Array(count), counters: new Float64Array(count), errors: new Map() };
  const views = blocks.map((block) => viewOf(block.bytes));
  await putSource(ctx, routings, source, {
    refused: (i, error) => {
      result.shards[i] = LINE_REFUSED;
      result.errors.set(i, error);
    },
    leftOut: (i) => (result.shards[i] = LINE_LEFT_OUT),
    stored: (batch, firstCounter) => {
      const { indexes } = batch;
      const index = batch.shard.index;
      for (let n = 0; n < indexes.length; n++) {
        result.shards[indexes[n]!] = index;
        result.counters[indexes[n]!] = firstCounter + n;
      }
    },
  }, (batch) => new LineRecords(batch, source, views));
  return result;
}

interface PutSink extends RouteOutcomes {
  // After the first routing, before anything is appended (an atomic put refuses here).
  routed?(): void;
  // The batch's records got the counters firstCounter, firstCounter + 1, ... in order.
  stored(batch: ShardBatch, firstCounter: number): void;
}

// Routes the records of `source`, appends each shard's batch (in shard order), and routes again, with the
// newer map, the batches whose shard a reshard closed after they were routed.
async function putSource(
  ctx: StreamContext, routings: RoutingCache, source: PutSource, sink: PutSink, encode: (batch: ShardBatch) => EncodedRecords,
): Promise<void> {
  const route = (current: StreamContext, only?: number[]) =>
    routePut(routings.for(current.name, current.config.shards), source, current.config.attributes.maxRecordBytes, sink, only);
  let batches = route(ctx);
  sink.routed?.();
  let appended = false;
  for (let round = 1; batches.size > 0; round++) {
    const closed: ShardBatch[] = [];
    let newer: StreamContext | null = null;
    for (const batch of [...batches.values()].sort((a, b) => a.shard.index - b.shard.index)) {
      try {
        const result = await appendToShard(ctx, ShardFiles.in(ctx.layout, batch.shard.index), encode(batch));
        if (result.closed) {
          closed.push(batch);
          newer = { ...ctx, config: result.config };
          continue;
        }
        appended = true;
        sink.stored(batch, result.firstCounter);
      } catch (error) {
        // A failed shard fails its own records (PutRecords reports per record); the others are stored.
        if (!isMqError(error) || error.code === 'STREAM_NOT_FOUND') throw error;
        for (const i of batch.indexes) sink.refused(i, error);
      }
    }
    if (closed.length === 0) break;
    if (round >= MAX_ROUTING_ROUNDS) {
      throw new MqError('CONFLICT', `stream "${ctx.name}" was resharded ${round} times during one put: try again`);
    }
    ctx = newer!;
    // Again in put order, so each key keeps its order in its new shard.
    batches = route(ctx, closed.flatMap((batch) => batch.indexes).sort((a, b) => a - b));
  }
  if (appended) ring(ctx.layout.notify);
}

// A key as segment lines carry it: its JSON, as bytes, cached on the routed key.
function keyJson(route: RoutedKey): Uint8Array {
  return (route.encoded ??= Buffer.from(JSON.stringify(route.key)));
}

class RequestRecords implements EncodedRecords {
  constructor(private readonly batch: ShardBatch, private readonly requests: PutRequest[]) {}

  encode(writer: LineWriter, firstCounter: number, arrivedAt: number): void {
    const { indexes, keys } = this.batch;
    for (let n = 0; n < indexes.length; n++) writer.append(firstCounter + n, arrivedAt, keyJson(keys[n]!), this.requests[indexes[n]!]!.data);
  }
}

// Lines encode straight from the blocks they were read into: no copy, no object per record.
class LineRecords implements EncodedRecords {
  constructor(private readonly batch: ShardBatch, private readonly source: LineSource, private readonly views: DataView[]) {}

  encode(writer: LineWriter, firstCounter: number, arrivedAt: number): void {
    const { indexes, keys } = this.batch;
    const { blocks, blockOf, lineOf } = this.source;
    for (let n = 0; n < indexes.length; n++) {
      const i = indexes[n]!;
      const b = blockOf[i]!;
      const block = blocks[b]!;
      const j = lineOf[i]!;
      writer.appendLine(firstCounter + n, arrivedAt, keyJson(keys[n]!), block.bytes, this.views[b]!, block.starts[j]!, block.ends[j]!);
    }
  }
}
