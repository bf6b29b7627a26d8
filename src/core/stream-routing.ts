// The first half of a put, for any backend: every record checked in Kinesis's order and the valid ones
// grouped by the open shard they route to, each keeping its place in the put for its outcome. One routing
// for both forms of put: requests (objects) and lines of bytes (the bulk form, no object per record),
// each read through a PutSource. Records without a key go round-robin over the open shards, each under a
// key of this process that hashes into its shard (key-spreader.ts).
//
// The checks of one record, in this order, so a record with several faults always reports the same one:
// its key as given (a line's key is read out of it first, as a caller reading keys would), its data (text,
// or valid UTF-8 bytes), the key's length, the size of data and key, the explicit hash key.
import { isUtf8 } from 'node:buffer';
import { MqError, entryError, invalidArgument, isMqError } from './errors.js';
import { hashKeyHex, parseExplicitHashKey, partitionKeyHashHex } from './hash-keys.js';
import { type KeySpreader, createKeySpreader, findShardKeys } from './key-spreader.js';
import { type ShardDefinition, type ShardRouter, createShardRouter } from './shard-map.js';
import { type PartitionKeyFactory, checkPartitionKey, recordTooLarge } from './stream-records.js';
import type { LineBlock, PutLinesOptions, PutOutcome, PutRequest } from './stream-types.js';

// A partition key as routing uses it: its open shard and its size in bytes. `encoded` is free for the
// backend to cache the key in the form it writes (the file store: its JSON as bytes).
export interface RoutedKey {
  shard: ShardDefinition;
  key: string;
  keyBytes: number;
  encoded?: Uint8Array;
}

// Routing state of one shard map: the router, and (made when first needed) the keys records without one
// are spread under. Worth keeping between puts of a process while the map's open shards stay the same
// (RoutingCache), since the spread keys and the key cache stay valid.
export class StreamRouting {
  readonly router: ShardRouter;
  private readonly onlyShard: boolean;
  private spreadKeys?: RoutedKey[];
  private spreadAt = 0;
  private readonly keys = new Map<string, RoutedKey>();

  constructor(private readonly shards: ShardDefinition[], private readonly randomKey: PartitionKeyFactory) {
    this.router = createShardRouter(shards);
    this.onlyShard = shards.filter((s) => s.state === 'open').length === 1;
  }

  // The open shards, as a key for reusing a routing: the same open shards route the same.
  static signature(shards: ShardDefinition[]): string {
    return shards.filter((s) => s.state === 'open').map((s) => `${s.index}:${s.hashKeyRange.start}`).join(',');
  }

  // The shard and key of the next record put without a key.
  spread(): RoutedKey {
    if (!this.spreadKeys) {
      const open = this.shards.filter((s) => s.state === 'open');
      const spreader: KeySpreader = createKeySpreader(findShardKeys(open, this.randomKey, partitionKeyHashHex, this.router));
      this.spreadKeys = spreader.keys.map(({ shard, key }) => routedKey(shard, key));
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
      this.keys.set(key, (found = routedKey(this.onlyShard ? this.router('') : this.router(partitionKeyHashHex(key)), key)));
    }
    return found;
  }

  explicit(text: string): ShardDefinition {
    return this.router(hashKeyHex(parseExplicitHashKey(text)));
  }
}

function routedKey(shard: ShardDefinition, key: string): RoutedKey {
  return { shard, key, keyBytes: Buffer.byteLength(key) };
}

// The routings of a process's streams, by stream, each kept while its open shards stay the same.
export class RoutingCache {
  private readonly routings = new Map<string, StreamRouting>();

  constructor(private readonly randomKey: PartitionKeyFactory, private readonly capacity = 64) {}

  for(stream: string, shards: ShardDefinition[]): StreamRouting {
    const signature = `${stream}\n${StreamRouting.signature(shards)}`;
    let routing = this.routings.get(signature);
    if (!routing) {
      if (this.routings.size >= this.capacity) this.routings.clear();
      this.routings.set(signature, (routing = new StreamRouting(shards, this.randomKey)));
    }
    return routing;
  }
}

// The records of one put, as routing reads them: `select(i)` makes record i the current one, and the
// other methods tell its facts, each asked for at its turn in the order of the checks. They throw an
// MqError for a fault of the record.
export interface PutSource {
  readonly count: number;
  // Makes record i current; false for a record the caller left out (it refused it itself), which is
  // routed nowhere and reported as left out.
  select(i: number): boolean;
  // The key as given, undefined for none.
  partitionKey(): string | undefined;
  // Refuses data that is neither text nor valid UTF-8 bytes.
  checkData(): void;
  // The data's size in UTF-8 bytes, and a cheap upper bound of it (checked first).
  dataBytesAtMost(): number;
  dataBytes(): number;
  explicitHashKey(): string | undefined;
}

// The valid records of one shard in a put: their places in the put, and their keys, in put order.
export interface ShardBatch {
  shard: ShardDefinition;
  indexes: number[];
  keys: RoutedKey[];
}

export interface RouteOutcomes {
  refused(i: number, error: MqError): void;
  leftOut(i: number): void;
}

// Checks and routes the records of `source` (or, after their shard closed under them, only those at
// `only`, in put order) and returns the valid ones grouped by shard index.
export function routePut(
  routing: StreamRouting, source: PutSource, maxRecordBytes: number, outcomes: RouteOutcomes, only?: readonly number[],
): Map<number, ShardBatch> {
  const batches = new Map<number, ShardBatch>();
  let last: ShardBatch | undefined;
  let lastKey: string | undefined;
  let lastKeyRoute: RoutedKey | undefined;
  let lastExplicit: string | undefined;
  let lastExplicitShard: ShardDefinition | undefined;
  const count = only ? only.length : source.count;
  for (let n = 0; n < count; n++) {
    const i = only ? only[n]! : n;
    if (!source.select(i)) {
      outcomes.leftOut(i);
      continue;
    }
    try {
      const key = source.partitionKey();
      source.checkData();
      let route: RoutedKey;
      if (key === undefined) {
        route = routing.spread();
      } else if (key === lastKey) {
        route = lastKeyRoute!;
      } else {
        route = routing.keyed(key);
        lastKey = key;
        lastKeyRoute = route;
      }
      if (source.dataBytesAtMost() + route.keyBytes > maxRecordBytes) {
        const size = source.dataBytes() + route.keyBytes;
        if (size > maxRecordBytes) throw recordTooLarge(size, maxRecordBytes);
      }
      let { shard } = route;
      const explicit = source.explicitHashKey();
      if (explicit !== undefined) {
        if (explicit !== lastExplicit) {
          lastExplicitShard = routing.explicit(explicit);
          lastExplicit = explicit;
        }
        shard = lastExplicitShard!;
      }
      let batch = last !== undefined && last.shard === shard ? last : batches.get(shard.index);
      if (!batch) batches.set(shard.index, (batch = { shard, indexes: [], keys: [] }));
      last = batch;
      batch.indexes.push(i);
      batch.keys.push(route);
    } catch (error) {
      if (!isMqError(error)) throw error;
      outcomes.refused(i, error);
    }
  }
  return batches;
}

// Put requests as a PutSource.
export class RequestSource implements PutSource {
  private request!: PutRequest;

  constructor(readonly requests: readonly PutRequest[]) {}

  get count(): number {
    return this.requests.length;
  }

  select(i: number): boolean {
    this.request = this.requests[i]!;
    return true;
  }

  partitionKey(): string | undefined {
    return this.request.partitionKey;
  }

  checkData(): void {
    const { data } = this.request;
    if (typeof data === 'string') return;
    // Any bytes: those that are not UTF-8 text are stored as they are (the backend's binary form).
    if (!(data instanceof Uint8Array)) throw invalidArgument('record data must be a string or bytes');
  }

  // A UTF-16 unit is at most 3 UTF-8 bytes: most records are clearly small enough without counting.
  dataBytesAtMost(): number {
    const { data } = this.request;
    return typeof data === 'string' ? data.length * 3 : data.length;
  }

  dataBytes(): number {
    const { data } = this.request;
    return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  }

  explicitHashKey(): string | undefined {
    return this.request.explicitHashKey;
  }
}

// Lines of bytes (LineBlock: line j of a block is bytes[starts[j], ends[j]), left out when its start is
// -1) as a PutSource, numbered through the blocks in order: line i is line `lineOf[i]` of block `blockOf[i]`.
export class LineSource implements PutSource {
  readonly count: number;
  readonly blockOf: Int32Array;
  readonly lineOf: Int32Array;
  // Blocks whose lines are all valid UTF-8, checked once for the whole block.
  private readonly utf8Blocks: boolean[];
  // The current line.
  private block!: LineBlock;
  private utf8 = false;
  private start = 0;
  private end = 0;

  constructor(readonly blocks: readonly LineBlock[], private readonly options: PutLinesOptions) {
    let count = 0;
    for (const block of blocks) count += block.count;
    this.count = count;
    this.blockOf = new Int32Array(count);
    this.lineOf = new Int32Array(count);
    let i = 0;
    for (let b = 0; b < blocks.length; b++) {
      for (let j = 0; j < blocks[b]!.count; j++, i++) {
        this.blockOf[i] = b;
        this.lineOf[i] = j;
      }
    }
    this.utf8Blocks = blocks.map(blockIsUtf8);
  }

  select(i: number): boolean {
    const b = this.blockOf[i]!;
    const j = this.lineOf[i]!;
    this.block = this.blocks[b]!;
    this.utf8 = this.utf8Blocks[b]!;
    this.start = this.block.starts[j]!;
    this.end = this.block.ends[j]!;
    return this.start !== -1;
  }

  // A key read out of the line is read first, whether or not a key for every line is given too.
  partitionKey(): string | undefined {
    const read = this.options.partitionKeyOf?.(this.block.bytes, this.start, this.end);
    return this.options.partitionKey ?? read;
  }

  checkData(): void {
    if (!this.utf8 && !isUtf8(this.block.bytes.subarray(this.start, this.end))) {
      throw new MqError('INVALID_ARGUMENT', 'record data is not valid UTF-8 (binary data: mq put --base64)');
    }
  }

  dataBytesAtMost(): number {
    return this.end - this.start;
  }

  dataBytes(): number {
    return this.end - this.start;
  }

  explicitHashKey(): string | undefined {
    return this.options.explicitHashKey;
  }
}

// Lines split at an ASCII separator: when the bytes of all of them are valid UTF-8, so is each one.
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

// An atomic put stores nothing when a record is refused: once all are routed, the first refusal is thrown
// for the whole batch (both stores call this between routing and storing).
export function throwIfAnyRefused(outcomes: readonly (PutOutcome | undefined)[], atomic: boolean | undefined): void {
  if (!atomic) return;
  const index = outcomes.findIndex((outcome) => outcome && !outcome.ok);
  const failed = outcomes[index];
  if (failed && !failed.ok) throw entryError(failed.error, 'record', index, outcomes.length);
}
