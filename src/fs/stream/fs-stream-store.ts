// StreamStore on the file system: each operation opens the stream (reads stream.json) and hands the work
// to the module that does it: puts to put.ts (one lock per shard per batch), reads to read.ts (no lock),
// resharding to reshard.ts, retention to stream-admin.ts, describe to describe.ts, consumer-group
// checkpoints and leases to group-ops.ts and lease-files.ts, lags to group-lags.ts.
import { MqError, invalidArgument } from '../../core/errors.js';
import { validateGroupName, validateStreamName } from '../../core/names.js';
import { type ShardDefinition, initialShardMap } from '../../core/shard-map.js';
import { mergeShards, parseSplitHashKey, splitShard, uniformReshard } from '../../core/resharding.js';
import { checkLeaseDuration } from '../../core/leases.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import { counterInShard } from '../../core/sequence-numbers.js';
import {
  type CreateStreamOptions, STREAM_LIMITS, checkReadLimit, checkShardCount, checkStreamMatches, newStreamAttributes,
} from '../../core/stream-attributes.js';
import type { StreamStore } from '../../core/stream-store.js';
import { RoutingCache } from '../../core/stream-routing.js';
import type {
  Checkpoint, CreateStreamResult, DataResult, GroupShardLag, LineBlock, PutLinesOptions, PutLinesResult, PutOptions, PutOutcome, PutRequest,
  ReadOptions, ReadResult, ReshardResult, ShardLease, StreamDescription, StreamInfo, StreamPosition, StreamWatcher,
} from '../../core/stream-types.js';
import { Doorbell } from '../doorbell.js';
import { sweepTrash } from '../trash.js';
import { type FsStreamEnv, type StreamContext } from './stream-context.js';
import { STREAMS, type StreamConfig, streamInfo } from './stream-config.js';
import { enterStore, isDurable, openEntity } from '../fs-env.js';
import { createStreamDir, listStreamConfigs, removeStreamDir, setStreamRetention } from './stream-admin.js';
import { putLines, putRequests } from './put.js';
import { type Collector, DataCollector, ReadHints, RecordCollector, readShardResult } from './read.js';
import { describeStream } from './describe.js';
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

  private open(name: string): StreamContext {
    const { layout, config } = openEntity(this.env, STREAMS, name);
    return { env: this.env, name, layout, config, durable: isDurable(this.env, config.attributes.durability) };
  }

  private shardOf(ctx: StreamContext, shardId: string): ShardDefinition {
    const index = parseShardId(shardId);
    const shard = ctx.config.shards.find((s) => s.index === index);
    if (!shard) throw new MqError('SHARD_NOT_FOUND', `stream "${ctx.name}" has no shard ${formatShardId(index)}`);
    return shard;
  }

  async create(name: string, options: CreateStreamOptions = {}): Promise<CreateStreamResult> {
    validateStreamName(name);
    this.env.root.prepare();
    const { shardCount, ...requested } = options;
    const count = checkShardCount(shardCount ?? STREAM_LIMITS.shardCount.default);
    const attributes = newStreamAttributes(requested);
    const now = this.env.clock.now();
    const config: StreamConfig = {
      name, attributes, shards: initialShardMap(count, now), createdAt: now, updatedAt: now, trimmedBefore: 0,
      segmentBytes: this.env.segmentBytes,
    };
    if (createStreamDir(this.env.store, config, isDurable(this.env, attributes.durability))) return { created: true, stream: streamInfo(config, now) };
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
    if (!this.env.root.exists()) return [];
    const now = this.env.clock.now();
    return listStreamConfigs(this.env.store, prefix).map((config) => streamInfo(config, now));
  }

  async describe(name: string): Promise<StreamDescription> {
    return describeStream(this.open(name), this.hints);
  }

  async setRetention(name: string, retentionMs: number): Promise<StreamInfo> {
    return setStreamRetention(this.open(name), retentionMs);
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
    enterStore(this.env, STREAMS, name);
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
    const limit = checkReadLimit(options.limit);
    return readShardResult(ctx, this.shardOf(ctx, shardId), from, { limit, ...(options.until === undefined ? {} : { until: options.until }) }, this.hints, collector);
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
    return groupLags(this.open(name), this.env.clock.now(), this.hints);
  }
}
