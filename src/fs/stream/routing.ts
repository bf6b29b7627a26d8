// The first half of a put: every record checked (data, key, explicit hash key, size) and the valid ones
// grouped by the open shard their hash key falls in, each keeping its place in the request for the outcome.
// Records without a key go round-robin over the open shards, each under a key of this process that hashes
// into its shard (core/key-spreader.ts). Two forms: requests (objects) and lines of bytes (the bulk path).
import { isUtf8 } from 'node:buffer';
import { MqError, invalidArgument, isMqError } from '../../core/errors.js';
import { hashKeyHex, parseExplicitHashKey, partitionKeyHashHex } from '../../core/hash-keys.js';
import { type KeySpreader, createKeySpreader, findShardKeys } from '../../core/key-spreader.js';
import { type ShardDefinition, type ShardRouter, createShardRouter } from '../../core/shard-map.js';
import { checkPartitionKey, checkRecordSize } from '../../core/stream-records.js';
import type { LineBlock, PutLinesOptions, PutOutcome, PutRequest } from '../../core/stream-types.js';
import type { StreamContext } from './stream-context.js';
import type { EncodedRecords, ShardRecords } from './append.js';
import type { LineWriter } from './line-writer.js';
import { viewOf } from './checksum.js';

export interface ShardBatch {
  shard: ShardDefinition;
  // Where each record stands in the request.
  indexes: number[];
  records: ShardRecords;
}

// A partition key as routing uses it: its open shard, its JSON form as bytes, and its size in bytes.
interface RoutedKey {
  shard: ShardDefinition;
  key: string;
  keyJsonText: string;
  keyJson: Uint8Array;
  keyBytes: number;
}

// Routing state of one stream map: the router, and (made when first needed) the keys records without one
// are spread under. Kept by the store between puts of a process while the map's open shards stay the same.
export class StreamRouting {
  readonly router: ShardRouter;
  readonly onlyShard: boolean;
  private spreader?: KeySpreader;
  private spreadKeys?: RoutedKey[];
  private spreadAt = 0;
  private readonly keys = new Map<string, RoutedKey>();

  constructor(public ctx: StreamContext) {
    this.router = createShardRouter(ctx.config.shards);
    this.onlyShard = ctx.config.shards.filter((s) => s.state === 'open').length === 1;
  }

  // This routing for a newer context of the same open shards (its attributes may be newer).
  withContext(ctx: StreamContext): this {
    this.ctx = ctx;
    return this;
  }

  // The open shards, as a key for reusing this routing: the same map of open shards routes the same.
  static signature(ctx: StreamContext): string {
    return ctx.config.shards.filter((s) => s.state === 'open').map((s) => `${s.index}:${s.hashKeyRange.start}`).join(',');
  }

  hashToShard(key: string): ShardDefinition {
    return this.onlyShard ? this.router('') : this.router(partitionKeyHashHex(key));
  }

  // The shard and key of the next record put without a key.
  spread(): RoutedKey {
    if (!this.spreadKeys) {
      const open = this.ctx.config.shards.filter((s) => s.state === 'open');
      this.spreader = createKeySpreader(findShardKeys(open, this.ctx.env.randomKey, partitionKeyHashHex, this.router));
      this.spreadKeys = this.spreader.keys.map(({ shard, key }) => routed(shard, key));
    }
    const keys = this.spreadKeys;
    const key = keys[this.spreadAt]!;
    this.spreadAt = this.spreadAt + 1 === keys.length ? 0 : this.spreadAt + 1;
    return key;
  }

  // A given partition key, checked and routed (cached: logs repeat their keys).
  keyed(key: string): RoutedKey {
    let found = this.keys.get(key);
    if (!found) {
      checkPartitionKey(key);
      if (this.keys.size >= 65_536) this.keys.clear();
      this.keys.set(key, (found = routed(this.hashToShard(key), key)));
    }
    return found;
  }

  explicit(text: string): ShardDefinition {
    return this.router(hashKeyHex(parseExplicitHashKey(text)));
  }
}

function routed(shard: ShardDefinition, key: string): RoutedKey {
  const keyJsonText = JSON.stringify(key);
  return { shard, key, keyJsonText, keyJson: Buffer.from(keyJsonText), keyBytes: Buffer.byteLength(key) };
}

// Fills `outcomes` for the refused records and returns the others grouped by shard index. `only` routes
// just those requests (by index), again, after their shard closed under them.
export function routeRecords(routing: StreamRouting, requests: PutRequest[], outcomes: PutOutcome[], only?: number[]): Map<number, ShardBatch> {
  const { maxRecordBytes } = routing.ctx.config.attributes;
  const batches = new Map<number, ShardBatch>();
  let lastExplicit: string | undefined;
  let lastExplicitShard: ShardDefinition | undefined;
  const count = only ? only.length : requests.length;
  for (let n = 0; n < count; n++) {
    const i = only ? only[n]! : n;
    const request = requests[i]!;
    try {
      const { data } = request;
      if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw invalidArgument('record data must be a string or bytes');
      const route = request.partitionKey === undefined ? routing.spread() : routing.keyed(request.partitionKey);
      checkRecordSize(data, route.key, maxRecordBytes);
      let { shard } = route;
      if (request.explicitHashKey !== undefined) {
        if (request.explicitHashKey !== lastExplicit) {
          lastExplicitShard = routing.explicit(request.explicitHashKey);
          lastExplicit = request.explicitHashKey;
        }
        shard = lastExplicitShard!;
      }
      let batch = batches.get(shard.index);
      if (!batch) batches.set(shard.index, (batch = { shard, indexes: [], records: { keyJsons: [], datas: [] } }));
      batch.indexes.push(i);
      batch.records.keyJsons.push(route.keyJsonText);
      batch.records.datas.push(data);
    } catch (error) {
      if (!isMqError(error)) throw error;
      outcomes[i] = { ok: false, error };
    }
  }
  return batches;
}

// The lines of one shard in one put, as parallel lists: each line's number through the blocks, its block
// and line there, and its key's JSON bytes. They encode themselves into the append's writer.
export class LineBatch implements EncodedRecords {
  readonly numbers: number[] = [];
  readonly blockIndexes: number[] = [];
  readonly lineIndexes: number[] = [];
  readonly keyJsons: Uint8Array[] = [];

  constructor(readonly shard: ShardDefinition, private readonly blocks: LineBlock[], private readonly views: DataView[]) {}

  get count(): number {
    return this.numbers.length;
  }

  encode(writer: LineWriter, firstCounter: number, arrivedAt: number): void {
    const { blocks, views, blockIndexes, lineIndexes, keyJsons } = this;
    for (let n = 0; n < blockIndexes.length; n++) {
      const b = blockIndexes[n]!;
      const block = blocks[b]!;
      const i = lineIndexes[n]!;
      writer.appendLine(firstCounter + n, arrivedAt, keyJsons[n]!, block.bytes, views[b]!, block.starts[i]!, block.ends[i]!);
    }
  }
}

// Which lines to route: all of them, or (after their shard closed) those listed.
export interface LineSelection {
  numbers: number[];
  blockIndexes: number[];
  lineIndexes: number[];
}

export interface LineOutcomes {
  shards: Int32Array;
  errors: Map<number, MqError>;
}

// The bulk form of routeRecords: checks and routes lines of bytes. Refused lines get shard -1 and their
// error; lines left out by the caller (start -1) get -2.
export function routeLines(
  routing: StreamRouting,
  blocks: LineBlock[],
  views: DataView[],
  options: PutLinesOptions,
  outcomes: LineOutcomes,
  only?: LineSelection,
): Map<number, LineBatch> {
  const { maxRecordBytes } = routing.ctx.config.attributes;
  const batches = new Map<number, LineBatch>();
  const fixed = options.partitionKey === undefined ? undefined : tryRoute(() => routing.keyed(options.partitionKey!));
  const explicit = options.explicitHashKey === undefined ? undefined : tryRoute(() => routing.explicit(options.explicitHashKey!));
  const keyOf = options.partitionKeyOf;
  let last: LineBatch | undefined;
  const add = (route: RoutedKey, b: number, i: number, number: number) => {
    const shard = explicit === undefined ? route.shard : (explicit as ShardDefinition);
    let batch = last !== undefined && last.shard === shard ? last : batches.get(shard.index);
    if (!batch) batches.set(shard.index, (batch = new LineBatch(shard, blocks, views)));
    last = batch;
    batch.numbers.push(number);
    batch.blockIndexes.push(b);
    batch.lineIndexes.push(i);
    batch.keyJsons.push(route.keyJson);
  };
  const one = (b: number, i: number, number: number, utf8Checked: boolean) => {
    const { bytes, starts, ends } = blocks[b]!;
    const start = starts[i]!;
    if (start === -1) {
      outcomes.shards[number] = -2;
      return;
    }
    const end = ends[i]!;
    try {
      // The checks in put's order, so a line with several faults reports the same one: the line's key
      // (read first, as a caller reading keys out of lines would), UTF-8, the key, the size, the explicit hash key.
      const key = keyOf ? keyOf(bytes, start, end) : undefined;
      if (!utf8Checked && !isUtf8(bytes.subarray(start, end))) throw new MqError('INVALID_ARGUMENT', 'record data is not valid UTF-8 (binary data: mq put --base64)');
      if (fixed instanceof MqError) throw fixed;
      const route = fixed ?? (key !== undefined ? routing.keyed(key) : routing.spread());
      if (end - start + route.keyBytes > maxRecordBytes) checkRecordSize(bytes.subarray(start, end), route.key, maxRecordBytes);
      if (explicit instanceof MqError) throw explicit;
      add(route, b, i, number);
    } catch (error) {
      if (!isMqError(error)) throw error;
      outcomes.shards[number] = -1;
      outcomes.errors.set(number, error);
    }
  };
  if (only) {
    for (let n = 0; n < only.numbers.length; n++) one(only.blockIndexes[n]!, only.lineIndexes[n]!, only.numbers[n]!, true);
    return batches;
  }
  let number = 0;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    // Lines split at an ASCII separator: when the bytes of all of them are valid UTF-8, so is each one.
    const utf8 = blockIsUtf8(block);
    for (let i = 0; i < block.count; i++) one(b, i, number++, utf8);
  }
  return batches;
}

function tryRoute<T>(route: () => T): T | MqError {
  try {
    return route();
  } catch (error) {
    if (!isMqError(error)) throw error;
    return error;
  }
}

function blockIsUtf8(block: LineBlock): boolean {
  let from = -1;
  let to = -1;
  for (let i = 0; i < block.count; i++) {
    if (block.starts[i] === -1) continue;
    if (from === -1) from = block.starts[i]!;
    to = block.ends[i]!;
  }
  return from === -1 || isUtf8(block.bytes.subarray(from, to));
}

export function blockViews(blocks: LineBlock[]): DataView[] {
  return blocks.map((block) => viewOf(block.bytes));
}
