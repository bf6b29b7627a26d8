// Consumer groups of a JetStream stream, in the metadata bucket: one key per group and shard holds its
// checkpoint and its lease together, so a leased checkpoint is one compare-and-set (refused once the
// lease moved on); one key per announced worker holds when it expires. The decisions are core's
// (leases.ts, checkpoints.ts); this module reads and writes them.
import { MqError, invalidArgument } from '../../core/errors.js';
import { isLeaseLive, leaseFor, mayTakeLease, stillHeld } from '../../core/leases.js';
import { compareCheckpoints, positionAfterCheckpoint } from '../../core/checkpoints.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import type { Checkpoint, GroupShardLag, ShardLease, StreamPosition } from '../../core/stream-types.js';
import type { JetStreamEnv } from '../env.js';
import { listedShards } from '../../core/stream-info.js';
import type { StreamRef } from './stream-catalog.js';

interface GroupShardEntry {
  group: string;
  shardId: string;
  checkpoint: Checkpoint | null;
  updatedAt: number;
  lease: ShardLease | null;
}

interface WorkerEntry {
  worker: string;
  expiresAt: number;
}

export type LagReader = (shard: ShardDefinition, position: StreamPosition) => Promise<{ lagRecords: number; lagMs: number }>;

export class GroupStore {
  constructor(private readonly env: JetStreamEnv) {}

  private key(ref: StreamRef, group: string, shardId: string): string {
    return this.env.names.groupShardKey(ref.name, group, parseShardId(shardId));
  }

  // Changes one group+shard entry by compare-and-set, trying again when another writer came first.
  // `change` returns the new entry, or a value to return without writing.
  private async modify<T>(
    ref: StreamRef, group: string, shardId: string,
    change: (current: GroupShardEntry | null, now: number) => { write: GroupShardEntry; result: T } | { result: T },
  ): Promise<T> {
    const key = this.key(ref, group, shardId);
    for (;;) {
      const current = await this.env.meta.get<GroupShardEntry>(key);
      const decided = change(current?.value ?? null, this.env.clock.now());
      if (!('write' in decided)) return decided.result;
      const revision = current ? await this.env.meta.update(key, decided.write, current.revision) : await this.env.meta.create(key, decided.write);
      if (revision !== null) return decided.result;
    }
  }

  async entries(ref: StreamRef, group?: string): Promise<GroupShardEntry[]> {
    return (await this.env.meta.list<GroupShardEntry>(this.env.names.groupKeys(ref.name, group))).map((e) => e.value)
      .filter((e) => group === undefined || e.group === group);
  }

  async checkpoints(ref: StreamRef, group: string): Promise<Record<string, Checkpoint>> {
    const stored = (await this.entries(ref, group)).filter((e) => e.checkpoint !== null);
    if (stored.length === 0) throw new MqError('GROUP_NOT_FOUND', `consumer group "${group}" of stream "${ref.name}" does not exist`);
    return Object.fromEntries(stored.sort((a, b) => (a.shardId < b.shardId ? -1 : 1)).map((e) => [e.shardId, e.checkpoint!]));
  }

  async setCheckpoint(ref: StreamRef, group: string, shardId: string, checkpoint: Checkpoint, lease?: ShardLease): Promise<void> {
    if (lease && lease.shardId !== shardId) throw invalidArgument(`a lease on ${lease.shardId} cannot checkpoint ${shardId}`);
    await this.modify(ref, group, shardId, (current, now) => {
      const held = current?.lease ?? null;
      if (lease && !stillHeld(held, lease)) {
        throw new MqError('LEASE_LOST', `worker "${lease.owner}" no longer holds the lease on ${shardId} of group "${group}"`);
      }
      if (!lease && isLeaseLive(held, now)) {
        throw new MqError('CONFLICT', `${shardId} of group "${group}" is leased by worker "${held!.owner}": only it may checkpoint there`);
      }
      // Concurrent readers of a group never move its checkpoint back.
      if (current?.checkpoint && compareCheckpoints(checkpoint, current.checkpoint) < 0) return { result: undefined };
      return { write: { group, shardId, checkpoint, updatedAt: now, lease: held }, result: undefined };
    });
  }

  async initCheckpoint(ref: StreamRef, group: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    await this.modify(ref, group, shardId, (current, now) => (current?.checkpoint
      ? { result: undefined }
      : { write: { group, shardId, checkpoint, updatedAt: now, lease: current?.lease ?? null }, result: undefined }));
  }

  async leases(ref: StreamRef, group: string): Promise<ShardLease[]> {
    return (await this.entries(ref, group)).flatMap((e) => (e.lease ? [e.lease] : [])).sort((a, b) => (a.shardId < b.shardId ? -1 : 1));
  }

  async takeLease(ref: StreamRef, group: string, shardId: string, owner: string, durationMs: number): Promise<ShardLease | null> {
    return this.modify(ref, group, shardId, (current, now) => {
      const held = current?.lease ?? null;
      if (!mayTakeLease(held, owner, now)) return { result: null };
      const lease = leaseFor(held, shardId, owner, durationMs, now);
      return { write: { group, shardId, checkpoint: current?.checkpoint ?? null, updatedAt: current?.updatedAt ?? 0, lease }, result: lease };
    });
  }

  async renewLease(ref: StreamRef, group: string, held: ShardLease, durationMs: number): Promise<ShardLease | null> {
    return this.modify(ref, group, held.shardId, (current, now) => {
      if (!current || !stillHeld(current.lease, held)) return { result: null };
      const lease = leaseFor(current.lease, held.shardId, held.owner, durationMs, now);
      return { write: { ...current, lease }, result: lease };
    });
  }

  async releaseLease(ref: StreamRef, group: string, held: ShardLease): Promise<void> {
    await this.modify(ref, group, held.shardId, (current, now) => {
      if (!current || !stillHeld(current.lease, held)) return { result: undefined };
      return { write: { ...current, lease: leaseFor(current.lease, held.shardId, null, 0, now) }, result: undefined };
    });
  }

  async announceWorker(ref: StreamRef, group: string, worker: string, ttlMs: number): Promise<string[]> {
    const key = this.env.names.workerKey(ref.name, group, worker);
    const now = this.env.clock.now();
    if (ttlMs > 0) {
      const value: WorkerEntry = { worker, expiresAt: now + ttlMs };
      for (;;) {
        const current = await this.env.meta.get<WorkerEntry>(key);
        const written = current ? await this.env.meta.update(key, value, current.revision) : await this.env.meta.create(key, value);
        if (written !== null) break;
      }
    } else {
      await this.env.meta.delete(key);
    }
    const workers = await this.env.meta.list<WorkerEntry>(this.env.names.workerKeys(ref.name, group));
    return workers.map((e) => e.value).filter((w) => w.expiresAt > now).map((w) => w.worker).sort();
  }

  // What `mq groups` shows (as the file store does): per group, the shards it has a checkpoint or a lease
  // in, and the listed children of shards it reads that it has not started yet, with their lag.
  async lags(ref: StreamRef, lagOf: LagReader): Promise<GroupShardLag[]> {
    const now = this.env.clock.now();
    const listed = listedShards(ref.record, now);
    const byGroup = new Map<string, Map<string, GroupShardEntry>>();
    for (const entry of await this.entries(ref)) {
      if (!byGroup.has(entry.group)) byGroup.set(entry.group, new Map());
      byGroup.get(entry.group)!.set(entry.shardId, entry);
    }
    const lags: GroupShardLag[] = [];
    for (const group of [...byGroup.keys()].sort()) {
      const stored = byGroup.get(group)!;
      const known = (index: number | undefined) => index !== undefined && stored.get(formatShardId(index))?.checkpoint != null;
      for (const shard of listed) {
        const shardId = formatShardId(shard.index);
        const entry = stored.get(shardId);
        const checkpoint = entry?.checkpoint ?? null;
        const lease = entry?.lease ?? null;
        const unstartedChild = !checkpoint && (known(shard.parentIndex) || known(shard.adjacentParentIndex));
        if (!checkpoint && !lease && !unstartedChild) continue;
        const position = checkpoint ? positionAfterCheckpoint(checkpoint) : { type: 'trim-horizon' as const };
        const lag: GroupShardLag = {
          group, shardId, checkpoint, ...(position ? await lagOf(shard, position) : { lagRecords: 0, lagMs: 0 }), updatedAt: checkpoint ? entry!.updatedAt : 0,
        };
        if (lease && isLeaseLive(lease, now)) Object.assign(lag, { leaseOwner: lease.owner!, leaseExpiresAt: lease.expiresAt });
        lags.push(lag);
      }
    }
    return lags;
  }
}
