// StreamStore on the file system: each operation opens the stream (reads stream.json), then works on its
// shards' segment files. Appends take one lock per shard per batch; reads take no lock.
import { MqError, invalidArgument, isMqError } from '../../core/errors.js';
import { validateGroupName, validateStreamName } from '../../core/names.js';
import { type ShardDefinition, describeShard, initialShardMap } from '../../core/shard-map.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import {
  type CreateStreamOptions, STREAM_LIMITS, checkRetentionChange, checkShardCount, newStreamAttributes, retentionCutoff,
} from '../../core/stream-attributes.js';
import { positionAfterCheckpoint } from '../../core/checkpoints.js';
import type { StreamStore } from '../../core/stream-store.js';
import type {
  Checkpoint, CreateStreamResult, DataResult, GroupShardLag, PutOptions, PutOutcome, PutRequest, ReadOptions, ReadResult,
  ShardDescription, StreamDescription, StreamInfo, StreamPosition, StreamRecord, StreamWatcher,
} from '../../core/stream-types.js';
import { withLock } from '../lock.js';
import { prepareStoreRoot, refuseLink } from '../store-root.js';
import { Doorbell, ring } from '../doorbell.js';
import { sweepTrash } from '../trash.js';
import { type FsStreamEnv, type StreamContext, cutoffOf, durableFor } from './stream-context.js';
import { type StreamConfig, readStreamConfig, streamInfo, writeStreamConfig } from './stream-config.js';
import { createStreamDir, listStreamConfigs, removeStreamDir } from './stream-admin.js';
import { appendToShard } from './append.js';
import { routeRecords } from './routing.js';
import { type Collector, DataCollector, ReadHints, RecordCollector, readShard } from './read.js';
import { ShardFiles } from './shard-files.js';
import { dropExpiredSegments } from './janitor.js';
import { formatCheckpoint, listGroups, readCheckpoints, writeCheckpoint } from './checkpoint-files.js';

export class FsStreamStore implements StreamStore {
  private readonly hints = new ReadHints();

  constructor(private readonly env: FsStreamEnv) {}

  private prepareRoot(): void {
    prepareStoreRoot(this.env.store.root, { allowNetworkFileSystem: this.env.allowNetworkFileSystem ?? false });
  }

  private open(name: string): StreamContext {
    validateStreamName(name);
    this.prepareRoot();
    const layout = this.env.store.stream(name);
    refuseLink(layout.dir, 'stream directory');
    const config = readStreamConfig(name, layout);
    return { env: this.env, name, layout, config, durable: durableFor(this.env, config) };
  }

  private shardOf(ctx: StreamContext, shardId: string): ShardDefinition {
    const index = parseShardId(shardId);
    const shard = ctx.config.shards.find((s) => s.index === index);
    if (!shard) throw new MqError('SHARD_NOT_FOUND', `stream "${ctx.name}" has no shard ${formatShardId(index)}`);
    return shard;
  }

  private files(ctx: StreamContext, shard: ShardDefinition): ShardFiles {
    return new ShardFiles(ctx.layout.shard(formatShardId(shard.index)), shard.index);
  }

  async create(name: string, options: CreateStreamOptions = {}): Promise<CreateStreamResult> {
    validateStreamName(name);
    this.prepareRoot();
    const { shardCount, ...requested } = options;
    const count = checkShardCount(shardCount ?? STREAM_LIMITS.shardCount.default);
    const attributes = newStreamAttributes(requested);
    const now = this.env.clock.now();
    const config: StreamConfig = {
      name, attributes, shards: initialShardMap(count, now), createdAt: now, updatedAt: now, trimmedBefore: 0,
      segmentBytes: this.env.segmentBytes,
    };
    if (createStreamDir(this.env.store, config, durableFor(this.env, config))) return { created: true, stream: streamInfo(config) };
    const existing = this.open(name).config;
    const conflicts: string[] = (Object.keys(requested) as (keyof typeof requested)[])
      .filter((key) => requested[key] !== undefined && existing.attributes[key] !== attributes[key]);
    if (shardCount !== undefined && existing.shards.length !== count) conflicts.unshift('shardCount');
    if (conflicts.length > 0) {
      throw new MqError('ALREADY_EXISTS', `stream "${name}" exists with different attributes: ${conflicts.join(', ')}`);
    }
    return { created: false, stream: streamInfo(existing) };
  }

  async get(name: string): Promise<StreamInfo> {
    return streamInfo(this.open(name).config);
  }

  async list(prefix = ''): Promise<StreamInfo[]> {
    this.prepareRoot();
    return listStreamConfigs(this.env.store, prefix).map(streamInfo);
  }

  async describe(name: string): Promise<StreamDescription> {
    const ctx = this.open(name);
    const cutoff = cutoffOf(ctx);
    const shards = ctx.config.shards.map((shard): ShardDescription => {
      const files = this.files(ctx, shard);
      dropExpiredSegments(files, cutoff);
      const segments = files.segments();
      let bytes = 0;
      for (const first of segments) {
        const file = files.open(first);
        if (!file) continue;
        bytes += file.size;
        file.close();
      }
      const newest = files.newest(segments);
      const [oldest] = this.readRecords(ctx, files, { type: 'trim-horizon' }, 1);
      const live = oldest !== undefined && newest.arrivedAt > cutoff;
      return {
        ...describeShard(shard),
        records: live ? newest.counter - counterInShard(oldest.sequence, shard.index) + 1 : 0,
        bytes,
        firstSequence: live ? oldest.sequence : null,
        lastSequence: live ? formatSequence(shard.index, newest.counter) : null,
        lastArrivedAt: newest.arrivedAt || null,
      };
    });
    return { ...streamInfo(ctx.config), shards };
  }

  async setRetention(name: string, retentionMs: number): Promise<StreamInfo> {
    const ctx = this.open(name);
    return withLock(ctx.layout.lock, { what: `stream "${name}"` }, () => {
      const current = readStreamConfig(name, ctx.layout);
      const now = this.env.clock.now();
      const { attributes } = current;
      const next: StreamConfig = {
        ...current,
        attributes: { ...attributes, retentionMs: checkRetentionChange(attributes.retentionMs, retentionMs) },
        // What has expired under the old retention stays expired under a longer one.
        trimmedBefore: retentionCutoff(now, attributes.retentionMs, current.trimmedBefore),
        updatedAt: now,
      };
      if (next.attributes.retentionMs === attributes.retentionMs) return streamInfo(current);
      writeStreamConfig(ctx.layout.config, next, durableFor(this.env, next));
      return streamInfo(next);
    });
  }

  async remove(name: string): Promise<void> {
    validateStreamName(name);
    removeStreamDir(this.env.store, name);
    sweepTrash(this.env.store, this.env.clock.now());
  }

  async put(name: string, requests: PutRequest[], options: PutOptions = {}): Promise<PutOutcome[]> {
    const ctx = this.open(name);
    const outcomes = new Array<PutOutcome>(requests.length);
    const batches = routeRecords(ctx, requests, outcomes);
    if (options.atomic) {
      const index = outcomes.findIndex((outcome) => outcome && !outcome.ok);
      const failed = outcomes[index];
      if (failed && !failed.ok) {
        const where = requests.length > 1 ? `record ${index + 1}: ` : '';
        throw new MqError(failed.error.code, `${where}${failed.error.message}`);
      }
    }
    for (const batch of [...batches.values()].sort((a, b) => a.shard.index - b.shard.index)) {
      const shardId = formatShardId(batch.shard.index);
      try {
        const { sequences } = await appendToShard(ctx, this.files(ctx, batch.shard), batch.records);
        batch.indexes.forEach((i, n) => (outcomes[i] = { ok: true, shardId, sequence: sequences[n]! }));
      } catch (error) {
        // A failed shard fails its own records (PutRecords reports per record); the others are stored.
        if (!isMqError(error) || error.code === 'STREAM_NOT_FOUND') throw error;
        for (const i of batch.indexes) outcomes[i] = { ok: false, error };
      }
    }
    if (batches.size > 0) ring(ctx.layout.notify);
    return outcomes;
  }

  read(name: string, shardId: string, from: StreamPosition, options?: ReadOptions & { dataAs?: 'string' }): Promise<ReadResult>;
  read(name: string, shardId: string, from: StreamPosition, options: ReadOptions & { dataAs: 'bytes' }): Promise<ReadResult<Uint8Array>>;
  async read(name: string, shardId: string, from: StreamPosition, options: ReadOptions = {}): Promise<ReadResult<string | Uint8Array>> {
    const collector = new RecordCollector(options.dataAs === 'bytes');
    const { result } = this.readInto(name, shardId, from, options, collector);
    return { records: collector.records, ...result };
  }

  async readData(name: string, shardId: string, from: StreamPosition, options: Omit<ReadOptions, 'dataAs'> = {}): Promise<DataResult> {
    const collector = new DataCollector();
    const { result, count } = this.readInto(name, shardId, from, options, collector);
    return { data: collector.bytes.subarray(0, collector.length), count, ...result };
  }

  private readInto(name: string, shardId: string, from: StreamPosition, options: ReadOptions, collector: Collector) {
    const ctx = this.open(name);
    const shard = this.shardOf(ctx, shardId);
    const { min, max, default: fallback } = STREAM_LIMITS.readLimit;
    const limit = options.limit ?? fallback;
    if (!Number.isInteger(limit) || limit < min || limit > max) throw invalidArgument(`limit must be between ${min} and ${max}, got ${limit}`);
    const read = readShard(ctx, this.files(ctx, shard), from, { limit, ...(options.until === undefined ? {} : { until: options.until }) }, this.hints, collector);
    // Counters start at 1: a read from at-sequence counter 0 continues from there, not from "-1".
    const next: StreamPosition = { type: 'after-sequence', sequence: formatSequence(shard.index, Math.max(read.nextCounter, 1) - 1) };
    return { count: read.count, result: { next, caughtUp: read.caughtUp, millisBehindLatest: read.millisBehindLatest } };
  }

  // A few records of a shard whose stream is open already (for describe and lag).
  private readRecords(ctx: StreamContext, files: ShardFiles, position: StreamPosition, limit: number): StreamRecord<string | Uint8Array>[] {
    const collector = new RecordCollector(true);
    readShard(ctx, files, position, { limit }, this.hints, collector);
    return collector.records;
  }

  async watch(name: string): Promise<StreamWatcher> {
    const ctx = this.open(name);
    const doorbell = new Doorbell(ctx.layout.notify);
    return {
      wait: (timeoutMs, signal) => doorbell.wait(timeoutMs, signal),
      close: () => doorbell.close(),
    };
  }

  async checkpoints(name: string, group: string): Promise<Record<string, Checkpoint>> {
    validateGroupName(group);
    const ctx = this.open(name);
    const stored = readCheckpoints(ctx.layout, group);
    if (stored.length === 0) throw new MqError('GROUP_NOT_FOUND', `consumer group "${group}" of stream "${name}" does not exist`);
    return Object.fromEntries(stored.map((s) => [s.shardId, s.checkpoint]));
  }

  async setCheckpoint(name: string, group: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    validateGroupName(group);
    const ctx = this.open(name);
    const shard = this.shardOf(ctx, shardId);
    if ('sequence' in checkpoint) counterInShard(checkpoint.sequence, shard.index);
    const id = formatShardId(shard.index);
    writeCheckpoint(ctx.layout, name, group, id, formatCheckpoint(checkpoint, this.env.clock.now()), ctx.durable);
  }

  async groups(name: string): Promise<GroupShardLag[]> {
    const ctx = this.open(name);
    const now = this.env.clock.now();
    const lags: GroupShardLag[] = [];
    for (const group of listGroups(ctx.layout)) {
      for (const { shardId, checkpoint, updatedAt } of readCheckpoints(ctx.layout, group)) {
        const shard = ctx.config.shards.find((s) => formatShardId(s.index) === shardId);
        if (!shard) continue;
        const position = positionAfterCheckpoint(checkpoint);
        let lagRecords = 0;
        let lagMs = 0;
        if (position) {
          const files = this.files(ctx, shard);
          const [unread] = this.readRecords(ctx, files, position, 1);
          if (unread) {
            lagRecords = files.newest().counter - counterInShard(unread.sequence, shard.index) + 1;
            lagMs = Math.max(0, now - unread.arrivedAt);
          }
        }
        lags.push({ group, shardId, checkpoint, lagRecords, lagMs, updatedAt });
      }
    }
    return lags;
  }
}
