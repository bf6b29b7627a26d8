// StreamStore on NATS JetStream: each operation reads the stream's record (its shard map) from the
// metadata bucket, finishing a reshard left half-done, and works on the shards' streams (layout in
// stream-catalog.ts). Puts in put.ts, reads in read.ts, consumer groups in groups.ts.
import { MqError } from '../../core/errors.js';
import { validateGroupName, validateStreamName } from '../../core/names.js';
import { type ShardMapChange, mergeShards, parseSplitHashKey, splitShard, uniformReshard } from '../../core/resharding.js';
import { checkLeaseDuration } from '../../core/leases.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import { type ShardDefinition, describeShard, initialShardMap } from '../../core/shard-map.js';
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import {
  type CreateStreamOptions, STREAM_LIMITS, checkRetentionChange, checkShardCount, newStreamAttributes, retentionCutoff,
} from '../../core/stream-attributes.js';
import type { StreamStore } from '../../core/stream-store.js';
import {
  type Checkpoint, type CreateStreamResult, type DataResult, type GroupShardLag, LINE_LEFT_OUT, LINE_REFUSED, type LineBlock, type PutLinesOptions,
  type PutLinesResult, type PutOptions, type PutOutcome, type PutRequest, type ReadOptions, type ReadResult, type ReshardResult, type ShardDescription,
  type ShardLease, type StreamDescription, type StreamInfo, type StreamPosition, type StreamWatcher,
} from '../../core/stream-types.js';
import type { JetStreamEnv } from '../env.js';
import { GroupStore } from './groups.js';
import { ShardPutter } from './put.js';
import { LineSource, RequestSource, throwIfAnyRefused } from '../../core/stream-routing.js';
import { ShardReader, readResultOf } from './read.js';
import { toStreamRecord } from './records.js';
import { listedShards, streamInfo as streamInfoOf } from '../../core/stream-info.js';
import { type StreamRecord as Record_, type StreamRef, StreamCatalog } from './stream-catalog.js';

const NEWLINE = 0x0a;

export class JetStreamStreamStore implements StreamStore {
  private readonly catalog: StreamCatalog;
  private readonly putter: ShardPutter;
  private readonly reader: ShardReader;
  private readonly groupStore: GroupStore;

  constructor(private readonly env: JetStreamEnv) {
    this.catalog = new StreamCatalog(env);
    this.putter = new ShardPutter(env, this.catalog);
    this.reader = new ShardReader(env, this.catalog);
    this.groupStore = new GroupStore(env);
  }

  async create(name: string, options: CreateStreamOptions = {}): Promise<CreateStreamResult> {
    validateStreamName(name);
    const { shardCount, ...requested } = options;
    const count = checkShardCount(shardCount ?? STREAM_LIMITS.shardCount.default);
    const attributes = newStreamAttributes(requested);
    const now = this.env.clock.now();
    const record: Record_ = { name, attributes, shards: initialShardMap(count, now), createdAt: now, updatedAt: now, trimmedBefore: 0 };
    const existing = await this.catalog.find(name);
    if (!existing) {
      // Shard streams a removal left behind (it was interrupted) hold nothing of this stream.
      await this.catalog.deleteShardStreams(name);
      const created = await this.catalog.create(record);
      if (created) {
        for (const shard of record.shards) await this.catalog.provisionShard(name, record, shard.index);
        return { created: true, stream: streamInfoOf(record, now) };
      }
    }
    const ref = await this.catalog.open(name);
    const current = ref.record;
    const conflicts: string[] = (Object.keys(requested) as (keyof typeof requested)[])
      .filter((key) => requested[key] !== undefined && current.attributes[key] !== attributes[key]);
    const made = current.shards.filter((s) => s.parentIndex === undefined).length;
    if (shardCount !== undefined && made !== count) conflicts.unshift('shardCount');
    if (conflicts.length > 0) throw new MqError('ALREADY_EXISTS', `stream "${name}" exists with different attributes: ${conflicts.join(', ')}`);
    // A create interrupted half-way is finished here.
    for (const shard of current.shards.filter((s) => s.state === 'open')) await this.catalog.provisionShard(name, current, shard.index);
    return { created: false, stream: streamInfoOf(current, now) };
  }

  async get(name: string): Promise<StreamInfo> {
    return streamInfoOf((await this.catalog.open(name)).record, this.env.clock.now());
  }

  async list(prefix = ''): Promise<StreamInfo[]> {
    const now = this.env.clock.now();
    return (await this.catalog.list(prefix)).map((record) => streamInfoOf(record, now));
  }

  async describe(name: string): Promise<StreamDescription> {
    const ref = await this.catalog.open(name);
    const now = this.env.clock.now();
    const shards: ShardDescription[] = [];
    for (const shard of listedShards(ref.record, now)) {
      const window = await this.reader.window(ref, shard);
      const state = await this.catalog.shardState(name, shard.index);
      const records = Math.max(0, window.last - window.first + 1);
      shards.push({
        ...describeShard(shard),
        records,
        bytes: state?.bytes ?? 0,
        firstSequence: records > 0 ? formatSequence(shard.index, window.first) : null,
        lastSequence: records > 0 ? formatSequence(shard.index, window.last) : null,
        lastArrivedAt: window.lastArrivedAt || null,
      });
    }
    return { ...streamInfoOf(ref.record, now), shards };
  }

  async setRetention(name: string, retentionMs: number): Promise<StreamInfo> {
    for (;;) {
      const ref = await this.catalog.open(name);
      const now = this.env.clock.now();
      const { attributes } = ref.record;
      const changed = checkRetentionChange(attributes.retentionMs, retentionMs);
      if (changed === attributes.retentionMs) return streamInfoOf(ref.record, now);
      const record: Record_ = {
        ...ref.record,
        attributes: { ...attributes, retentionMs: changed },
        // What has expired under the old retention stays expired under a longer one.
        trimmedBefore: retentionCutoff(now, attributes.retentionMs, ref.record.trimmedBefore),
        updatedAt: now,
      };
      const written = await this.catalog.write(ref, record);
      if (!written) continue;
      await this.catalog.applyRetention(name, record);
      return streamInfoOf(record, now);
    }
  }

  async remove(name: string): Promise<void> {
    const ref = await this.catalog.find(name);
    if (!ref) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist`);
    // The shards first: a stream made again under this name must not find old records.
    await this.catalog.deleteShardStreams(name);
    for (const entry of await this.env.meta.list(this.env.names.groupKeys(name))) await this.env.meta.delete(entry.key);
    if (!(await this.catalog.delete(ref))) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist`);
  }

  async splitShard(name: string, shardId: string, atHashKey?: string): Promise<ReshardResult> {
    validateStreamName(name);
    const index = parseShardId(shardId);
    const at = atHashKey === undefined ? undefined : parseSplitHashKey(atHashKey);
    return this.reshard(name, (shards, now) => splitShard(shards, name, index, at, now));
  }

  async mergeShards(name: string, shardId: string, adjacentShardId: string): Promise<ReshardResult> {
    validateStreamName(name);
    const [index, adjacentIndex] = [parseShardId(shardId), parseShardId(adjacentShardId)];
    return this.reshard(name, (shards, now) => mergeShards(shards, name, index, adjacentIndex, now));
  }

  async updateShardCount(name: string, target: number): Promise<ReshardResult> {
    validateStreamName(name);
    return this.reshard(name, (shards, now) => uniformReshard(shards, name, target, now));
  }

  // A change of the shard map: the children's streams made, the map published with the parents closing
  // (compare-and-set: a change made stale by another one is planned again, and refused if no longer
  // possible), then each parent fenced and its end recorded. A resharder that dies half-way leaves a map
  // that the next reader of it finishes.
  private async reshard(name: string, plan: (shards: ShardDefinition[], nowMs: number) => ShardMapChange): Promise<ReshardResult> {
    for (;;) {
      const ref = await this.catalog.open(name);
      const now = this.env.clock.now();
      const change = plan(ref.record.shards, now);
      if (change.closing.length === 0 && change.created.length === 0) {
        return { stream: streamInfoOf(ref.record, now), closed: [], created: [] };
      }
      const record: Record_ = { ...ref.record, shards: change.shards, updatedAt: now };
      for (const index of change.created) {
        const shard = change.shards.find((s) => s.index === index)!;
        // Shards made and closed within the change never hold a record: they get no stream.
        if (shard.state === 'open') await this.catalog.provisionShard(name, record, index);
      }
      const published = await this.catalog.write(ref, record);
      if (!published) continue;
      const sealed: StreamRef = (await this.catalog.seal(published)) ?? (await this.catalog.open(name));
      const byIndex = (index: number) => describeShard(sealed.record.shards.find((s) => s.index === index)!);
      return { stream: streamInfoOf(sealed.record, this.env.clock.now()), closed: change.closing.map(byIndex), created: change.created.map(byIndex) };
    }
  }

  async put(name: string, requests: PutRequest[], options: PutOptions = {}): Promise<PutOutcome[]> {
    const outcomes = new Array<PutOutcome>(requests.length);
    await this.putter.put(name, new RequestSource(requests), {
      refused: (i, error) => (outcomes[i] = { ok: false, error }),
      leftOut: () => {},
      routed: () => throwIfAnyRefused(outcomes, options.atomic),
      stored: (i, shardIndex, counter) => (outcomes[i] = { ok: true, shardId: formatShardId(shardIndex), sequence: formatSequence(shardIndex, counter) }),
    });
    return outcomes;
  }

  async putLines(name: string, blocks: LineBlock[], options: PutLinesOptions = {}): Promise<PutLinesResult> {
    const source = new LineSource(blocks, options);
    const { count } = source;
    const result: PutLinesResult = { count, shards: new Int32Array(count), counters: new Float64Array(count), errors: new Map() };
    await this.putter.put(name, source, {
      refused: (i, error) => {
        result.shards[i] = LINE_REFUSED;
        result.errors.set(i, error);
      },
      leftOut: (i) => (result.shards[i] = LINE_LEFT_OUT),
      stored: (i, shardIndex, counter) => {
        result.shards[i] = shardIndex;
        result.counters[i] = counter;
      },
    });
    return result;
  }

  read(name: string, shardId: string, from: StreamPosition, options?: ReadOptions & { dataAs?: 'string' }): Promise<ReadResult>;
  read(name: string, shardId: string, from: StreamPosition, options: ReadOptions & { dataAs: 'bytes' }): Promise<ReadResult<Uint8Array>>;
  async read(name: string, shardId: string, from: StreamPosition, options: ReadOptions = {}): Promise<ReadResult<string | Uint8Array>> {
    const ref = await this.catalog.open(name);
    const shard = this.catalog.shardOf(ref, shardId);
    const read = await this.reader.read(ref, shard, from, options);
    const records = read.records.map((r) => toStreamRecord(shard.index, r, options.dataAs === 'bytes' ? 'bytes' : 'string'));
    return { records, ...readResultOf(ref, shard, read) } as ReadResult<string | Uint8Array>;
  }

  async readData(name: string, shardId: string, from: StreamPosition, options: Omit<ReadOptions, 'dataAs'> = {}): Promise<DataResult> {
    const ref = await this.catalog.open(name);
    const shard = this.catalog.shardOf(ref, shardId);
    const read = await this.reader.read(ref, shard, from, options);
    let size = 0;
    for (const r of read.records) size += r.data.length + 1;
    const data = Buffer.allocUnsafe(size);
    let at = 0;
    for (const r of read.records) {
      data.set(r.data, at);
      at += r.data.length;
      data[at++] = NEWLINE;
    }
    return { data, count: read.records.length, ...readResultOf(ref, shard, read) };
  }

  async watch(name: string): Promise<StreamWatcher> {
    await this.catalog.open(name);
    const waiters = new Set<() => void>();
    const sub = await this.env.client.subscribe(this.env.names.bellSubject(name), () => {
      for (const wake of [...waiters]) wake();
    });
    return {
      wait: (timeoutMs, signal) => new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, timeoutMs));
        waiters.add(done);
        signal?.addEventListener('abort', done);
      }),
      close: () => {
        sub.unsubscribe();
        for (const wake of [...waiters]) wake();
      },
    };
  }

  // Opens the stream for a group operation on one shard, checking the names and a checkpoint's shard.
  private async groupShard(name: string, group: string, shardId: string, checkpoint?: Checkpoint) {
    validateGroupName(group);
    const ref = await this.catalog.open(name);
    const shard = this.catalog.shardOf(ref, shardId);
    if (checkpoint && 'sequence' in checkpoint) counterInShard(checkpoint.sequence, shard.index);
    return { ref, id: formatShardId(shard.index) };
  }

  async checkpoints(name: string, group: string): Promise<Record<string, Checkpoint>> {
    validateGroupName(group);
    return this.groupStore.checkpoints(await this.catalog.open(name), group);
  }

  async setCheckpoint(name: string, group: string, shardId: string, checkpoint: Checkpoint, lease?: ShardLease): Promise<void> {
    const { ref, id } = await this.groupShard(name, group, shardId, checkpoint);
    await this.groupStore.setCheckpoint(ref, group, id, checkpoint, lease);
  }

  async initCheckpoints(name: string, group: string, starts: Record<string, Checkpoint>): Promise<Record<string, Checkpoint>> {
    validateGroupName(group);
    for (const [shardId, checkpoint] of Object.entries(starts)) {
      const { ref, id } = await this.groupShard(name, group, shardId, checkpoint);
      await this.groupStore.initCheckpoint(ref, group, id, checkpoint);
    }
    return this.checkpoints(name, group);
  }

  async groups(name: string): Promise<GroupShardLag[]> {
    const ref = await this.catalog.open(name);
    const now = this.env.clock.now();
    return this.groupStore.lags(ref, async (shard, position) => {
      const read = await this.reader.read(ref, shard, position, { limit: 1 });
      const unread = read.records[0];
      if (!unread) return { lagRecords: 0, lagMs: 0 };
      const window = await this.reader.window(ref, shard);
      return { lagRecords: window.last - unread.seq + 1, lagMs: Math.max(0, now - unread.time) };
    });
  }

  async leases(name: string, group: string): Promise<ShardLease[]> {
    validateGroupName(group);
    return this.groupStore.leases(await this.catalog.open(name), group);
  }

  async takeLease(name: string, group: string, shardId: string, owner: string, durationMs: number): Promise<ShardLease | null> {
    validateGroupName(owner);
    const { ref, id } = await this.groupShard(name, group, shardId);
    return this.groupStore.takeLease(ref, group, id, owner, checkLeaseDuration(durationMs));
  }

  async renewLease(name: string, group: string, lease: ShardLease, durationMs: number): Promise<ShardLease | null> {
    const { ref } = await this.groupShard(name, group, lease.shardId);
    return this.groupStore.renewLease(ref, group, lease, checkLeaseDuration(durationMs));
  }

  async releaseLease(name: string, group: string, lease: ShardLease): Promise<void> {
    const { ref } = await this.groupShard(name, group, lease.shardId);
    await this.groupStore.releaseLease(ref, group, lease);
  }

  async announceWorker(name: string, group: string, workerId: string, ttlMs: number): Promise<string[]> {
    validateGroupName(group);
    validateGroupName(workerId);
    return this.groupStore.announceWorker(await this.catalog.open(name), group, workerId, ttlMs);
  }
}
