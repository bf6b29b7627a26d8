// Consumer-group operations of the file store that need the group's per-shard lock: leased checkpoints
// (refused once the lease is lost), start checkpoints written only where none exists, and taking,
// renewing and releasing leases. The decisions are core/leases.ts's; this module reads and writes.
import { compareCheckpoints } from '../../core/checkpoints.js';
import { MqError } from '../../core/errors.js';
import { isLeaseLive, leaseFor, mayTakeLease, stillHeld } from '../../core/leases.js';
import type { Checkpoint, ShardLease } from '../../core/stream-types.js';
import { readFileIfExists } from '../fs-util.js';
import type { StreamContext } from './stream-context.js';
import { formatCheckpoint, parseCheckpoint, writeCheckpoint } from './checkpoint-files.js';
import { readLease, withGroupShardLock, writeLease } from './lease-files.js';

// Writes a checkpoint, under the group shard's lock, unless the stored one is further on (concurrent
// readers of a group never move it back). With a lease: only if the lease is still the one held. Without
// one: refused while a worker holds the shard live (tail --group must not move a consume worker's place).
export async function checkpointShard(ctx: StreamContext, group: string, shardId: string, checkpoint: Checkpoint, lease?: ShardLease): Promise<void> {
  const { layout, name, env } = ctx;
  await withGroupShardLock(layout, name, group, shardId, () => {
    const held = readLease(layout, group, shardId);
    if (lease && !stillHeld(held, lease)) throw lostLease(group, shardId, lease);
    if (!lease && isLeaseLive(held, env.clock.now())) {
      throw new MqError('CONFLICT', `${shardId} of group "${group}" is leased by worker "${held!.owner}": only it may checkpoint there`);
    }
    const stored = readFileIfExists(layout.checkpoint(group, shardId));
    const current = stored === null ? null : parseCheckpoint(stored);
    if (current && compareCheckpoints(checkpoint, current.checkpoint) < 0) return;
    writeCheckpoint(layout, name, group, shardId, formatCheckpoint(checkpoint, env.clock.now()), ctx.durable);
  });
}

function lostLease(group: string, shardId: string, lease: ShardLease): MqError {
  return new MqError('LEASE_LOST', `worker "${lease.owner}" no longer holds the lease on ${shardId} of group "${group}"`);
}

// Writes the start checkpoint of a shard unless it has one: the first writer wins.
export async function initCheckpoint(ctx: StreamContext, group: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
  const { layout, name, env } = ctx;
  await withGroupShardLock(layout, name, group, shardId, () => {
    if (readFileIfExists(layout.checkpoint(group, shardId)) !== null) return;
    writeCheckpoint(layout, name, group, shardId, formatCheckpoint(checkpoint, env.clock.now()), ctx.durable);
  });
}

export function takeLease(ctx: StreamContext, group: string, shardId: string, owner: string, durationMs: number): Promise<ShardLease | null> {
  const { layout, name, env } = ctx;
  return withGroupShardLock(layout, name, group, shardId, () => {
    const now = env.clock.now();
    const current = readLease(layout, group, shardId);
    if (!mayTakeLease(current, owner, now)) return null;
    const lease = leaseFor(current, shardId, owner, durationMs, now);
    writeLease(layout, group, lease, ctx.durable);
    return lease;
  });
}

export function renewLease(ctx: StreamContext, group: string, held: ShardLease, durationMs: number): Promise<ShardLease | null> {
  const { layout, name, env } = ctx;
  return withGroupShardLock(layout, name, group, held.shardId, () => {
    const current = readLease(layout, group, held.shardId);
    if (!stillHeld(current, held)) return null;
    const lease = leaseFor(current, held.shardId, held.owner, durationMs, env.clock.now());
    writeLease(layout, group, lease, ctx.durable);
    return lease;
  });
}

export async function releaseLease(ctx: StreamContext, group: string, held: ShardLease): Promise<void> {
  const { layout, name, env } = ctx;
  await withGroupShardLock(layout, name, group, held.shardId, () => {
    const current = readLease(layout, group, held.shardId);
    if (!stillHeld(current, held)) return;
    writeLease(layout, group, leaseFor(current, held.shardId, null, 0, env.clock.now()), ctx.durable);
  });
}
