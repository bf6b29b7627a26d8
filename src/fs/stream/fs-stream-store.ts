// StreamStore on the file system: each operation opens the stream (reads stream.json), then works on its
// shards' segment files. Appends take one lock per shard per batch; reads take no lock. Resharding is in
// reshard.ts, consumer-group leases in group-ops.ts and lease-files.ts.
import { MqError, invalidArgument } from '../../core/errors.js';
import { validateGroupName, validateStreamName } from '../../core/names.js';
import { type ShardDefinition, describeShard, initialShardMap } from '../../core/shard-map.js';
import { childShardsOf, mergeShards, parseSplitHashKey, splitShard, uniformReshard } from '../../core/resharding.js';
import { checkLeaseDuration } from '../../core/leases.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import {
  type CreateStreamOptions, STREAM_LIMITS, checkReadLimit, checkRetentionChange, checkShardCount, checkStreamMatches, newStreamAttributes, retentionCutoff,
} from '../../core/stream-attributes.js';
import type { StreamStore } from '../../core/stream-store.js';
import { RoutingCache } from '../../core/stream-routing.js';
import type {
  Checkpoint, CreateStreamResult, DataResult, GroupShardLag, LineBlock, PutLinesOptions, PutLinesResult, PutOptions, PutOutcome, PutRequest,
  ReadOptions, ReadResult,
  ReshardResult, ShardDescription, ShardLease, StreamDescription, StreamInfo, StreamPosition, StreamRecord, StreamWatcher,
} from '../../core/stream-types.js';
import { withLock } from '../lock.js';
import { openStoreRoot, prepareStoreRoot, refuseLink } from '../store-root.js';
import { Doorbell } from '../doorbell.js';
import { sweepTrash } from '../trash.js';
import { type FsStreamEnv, type StreamContext, cutoffOf, durableFor } from './stream-context.js';
import { type StreamConfig, listedShards, readStreamConfig, streamInfo, writeStreamConfig } from './stream-config.js';
import { createStreamDir, listStreamConfigs, removeStreamDir } from './stream-admin.js';
import { putLines, putRequests } from './put.js';
import { type Collector, DataCollector, ReadHints, RecordCollector, readShard } from './read.js';
import { ShardFiles } from './shard-files.js';
import { dropExpiredSegments } from './janitor.js';
import { readCheckpoints } from './checkpoint-files.js';
import { reshard } from './reshard.js';
import { checkpointShard, initCheckpoint, releaseLease, renewLease, takeLease } from './group-ops.js';
import { announceWorker, liveWorkers, readLeases } from './lease-files.js';
import { groupLags } from './group-lags.js';

export class FsStreamStore implements StreamStore {
  private readonly hints = new ReadHints();
  private readonly routings: RoutingCache;

  constructor(private readonly env: FsStreamEnv) {
    this.routings = new RoutingCache(env.randomKey);
  }

  private get rootOptions() {
    return { allowNetworkFileSystem: this.env.allowNetworkFileSystem ?? false };
  }

  // Only `create` makes the store; everything else finds it there or reports the stream missing.
  private openRoot(name: string): void {
    if (!openStoreRoot(this.env.store.root, this.rootOptions)) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist (no store there)`);
  }

  private open(name: string): StreamContext {
    validateStreamName(name);
    this.openRoot(name);
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
    prepareStoreRoot(this.env.store.root, this.rootOptions);
    const { shardCount, ...requested } = options;
    const count = checkShardCount(shardCount ?? STREAM_LIMITS.shardCount.default);
    const attributes = newStreamAttributes(requested);
    const now = this.env.clock.now();
    const config: StreamConfig = {
      name, attributes, shards: initialShardMap(count, now), createdAt: now, updatedAt: now, trimmedBefore: 0,
      segmentBytes: this.env.segmentBytes,
    };
    if (createStreamDir(this.env.store, config, durableFor(this.env, config))) return { created: true, stream: streamInfo(config, now) };
    const existing = this.open(name).config;
    // The shard count a stream was created with: its shards without parents (resharding adds children).
    const createdWith = existing.shards.filter((s) => s.parentIndex === undefined).length;
    checkStreamMatches(name, { shardCount: createdWith, ...existing.attributes }, options, { shardCount: count, ...attributes });
    return { created: false, stream: streamInfo(existing, now) };
  }

  async get(name: string): Promise<StreamInfo> {
    return streamInfo(this.open(name).config, this.env.clock.now());
  }

  async list(prefix = ''): Promise<StreamInfo[]> {
    if (!openStoreRoot(this.env.store.root, this.rootOptions)) return [];
    const now = this.env.clock.now();
    return listStreamConfigs(this.env.store, prefix).map((config) => streamInfo(config, now));
  }

  async describe(name: string): Promise<StreamDescription> {
    const ctx = this.open(name);
    const cutoff = cutoffOf(ctx);
    const now = this.env.clock.now();
    const shards = listedShards(ctx.config, now).map((shard): ShardDescription => {
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
    return { ...streamInfo(ctx.config, now), shards };
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
      if (next.attributes.retentionMs === attributes.retentionMs) return streamInfo(current, now);
      writeStreamConfig(ctx.layout.config, next, durableFor(this.env, next));
      return streamInfo(next, now);
    });
  }

  async splitShard(name: string, shardId: string, atHashKey?: string): Promise<ReshardResult> {
    const ctx = this.open(name);
    const index = parseShardId(shardId);
    const at = atHashKey === undefined ? undefined : parseSplitHashKey(atHashKey);
    return reshard(ctx, (config, now) => splitShard(config.shards, name, index, at, now));
  }

  async mergeShards(name: string, shardId: string, adjacentShardId: string): Promise<ReshardResult> {
    const ctx = this.open(name);
    const [index, adjacentIndex] = [parseShardId(shardId), parseShardId(adjacentShardId)];
    return reshard(ctx, (config, now) => mergeShards(config.shards, name, index, adjacentIndex, now));
  }

  async updateShardCount(name: string, target: number): Promise<ReshardResult> {
    const ctx = this.open(name);
    return reshard(ctx, (config, now) => uniformReshard(config.shards, name, target, now));
  }

  async remove(name: string): Promise<void> {
    validateStreamName(name);
    this.openRoot(name);
    removeStreamDir(this.env.store, name);
    sweepTrash(this.env.store, this.env.clock.now());
  }

  async put(name: string, requests: PutRequest[], options: PutOptions = {}): Promise<PutOutcome[]> {
    return putRequests(this.open(name), this.routings, requests, options);
  }

  async putLines(name: string, blocks: LineBlock[], options: PutLinesOptions = {}): Promise<PutLinesResult> {
    return putLines(this.open(name), this.routings, blocks, options);
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
    const limit = checkReadLimit(options.limit);
    const read = readShard(ctx, this.files(ctx, shard), from, { limit, ...(options.until === undefined ? {} : { until: options.until }) }, this.hints, collector);
    // Counters start at 1: a read from at-sequence counter 0 continues from there, not from "-1".
    const next: StreamPosition = { type: 'after-sequence', sequence: formatSequence(shard.index, Math.max(read.nextCounter, 1) - 1) };
    // A closed shard never grows: caught up past its last record is its end (Kinesis: no next iterator).
    const shardEnd = shard.state === 'closed' && read.caughtUp && read.nextCounter > (shard.endingCounter ?? 0);
    const result = { next, caughtUp: read.caughtUp, millisBehindLatest: read.millisBehindLatest, shardEnd };
    return { count: read.count, result: shardEnd ? { ...result, childShards: childShardsOf(ctx.config.shards, shard.index) } : result };
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

  async setCheckpoint(name: string, group: string, shardId: string, checkpoint: Checkpoint, lease?: ShardLease): Promise<void> {
    const { ctx, id } = this.groupShard(name, group, shardId, checkpoint);
    if (lease && lease.shardId !== id) throw invalidArgument(`a lease on ${lease.shardId} cannot checkpoint ${id}`);
    await checkpointShard(ctx, group, id, checkpoint, lease);
  }

  async initCheckpoints(name: string, group: string, starts: Record<string, Checkpoint>): Promise<Record<string, Checkpoint>> {
    validateGroupName(group);
    for (const [shardId, checkpoint] of Object.entries(starts)) {
      const { ctx, id } = this.groupShard(name, group, shardId, checkpoint);
      await initCheckpoint(ctx, group, id, checkpoint);
    }
    return this.checkpoints(name, group);
  }

  // Opens the stream for a group operation on one shard, checking the names and a checkpoint's shard.
  private groupShard(name: string, group: string, shardId: string, checkpoint?: Checkpoint) {
    validateGroupName(group);
    const ctx = this.open(name);
    const shard = this.shardOf(ctx, shardId);
    if (checkpoint && 'sequence' in checkpoint) counterInShard(checkpoint.sequence, shard.index);
    return { ctx, id: formatShardId(shard.index) };
  }

  async leases(name: string, group: string): Promise<ShardLease[]> {
    validateGroupName(group);
    return readLeases(this.open(name).layout, group);
  }

  async takeLease(name: string, group: string, shardId: string, owner: string, durationMs: number): Promise<ShardLease | null> {
    validateGroupName(owner);
    const { ctx, id } = this.groupShard(name, group, shardId);
    return takeLease(ctx, group, id, owner, checkLeaseDuration(durationMs));
  }

  async renewLease(name: string, group: string, lease: ShardLease, durationMs: number): Promise<ShardLease | null> {
    const { ctx } = this.groupShard(name, group, lease.shardId);
    return renewLease(ctx, group, lease, checkLeaseDuration(durationMs));
  }

  async releaseLease(name: string, group: string, lease: ShardLease): Promise<void> {
    const { ctx } = this.groupShard(name, group, lease.shardId);
    await releaseLease(ctx, group, lease);
  }

  async announceWorker(name: string, group: string, workerId: string, ttlMs: number): Promise<string[]> {
    validateGroupName(group);
    validateGroupName(workerId);
    const ctx = this.open(name);
    const now = this.env.clock.now();
    announceWorker(ctx.layout, name, group, workerId, ttlMs > 0 ? now + ttlMs : null, now);
    return liveWorkers(ctx.layout, group, now);
  }

  async groups(name: string): Promise<GroupShardLag[]> {
    const ctx = this.open(name);
    const now = this.env.clock.now();
    return groupLags(ctx, now, (shard, position) => {
      const files = this.files(ctx, shard);
      const [unread] = this.readRecords(ctx, files, position, 1);
      if (!unread) return { lagRecords: 0, lagMs: 0 };
      return { lagRecords: files.newest().counter - counterInShard(unread.sequence, shard.index) + 1, lagMs: Math.max(0, now - unread.arrivedAt) };
    });
  }
}
