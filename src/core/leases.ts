// Shard leases of a consumer group, decided here (pure) and stored by the backend: when a lease may be
// taken, whether a holder still holds it, and how the workers of a group share the shards between them.
import { invalidArgument } from './errors.js';
import type { ShardLease } from './stream-types.js';

// Leases last from a second to a day.
export function checkLeaseDuration(ms: number): number {
  if (!Number.isInteger(ms) || ms < 1000 || ms > 86_400_000) throw invalidArgument(`lease duration must be from 1s to 24h, got ${ms} ms`);
  return ms;
}

// A lease protects its shard while it has an owner and has not expired.
export function isLeaseLive(lease: ShardLease | null, nowMs: number): boolean {
  return lease !== null && lease.owner !== null && lease.expiresAt > nowMs;
}

// A worker may take a lease nobody holds: never taken, released, expired, or already its own.
export function mayTakeLease(current: ShardLease | null, owner: string, nowMs: number): boolean {
  return !isLeaseLive(current, nowMs) || current!.owner === owner;
}

// The lease after `owner` takes or renews it: the counter moves on, so an earlier holder can tell.
export function leaseFor(current: ShardLease | null, shardId: string, owner: string | null, durationMs: number, nowMs: number): ShardLease {
  return { shardId, owner, counter: (current?.counter ?? 0) + 1, expiresAt: owner === null ? nowMs : nowMs + durationMs, updatedAt: nowMs };
}

// Whether the lease stored is still the one a holder took or last renewed (KCL: same owner and counter).
// Expiry alone does not end it: until another worker takes it over, its holder may renew it.
export function stillHeld(current: ShardLease | null, held: ShardLease): boolean {
  return current !== null && current.owner === held.owner && current.counter === held.counter;
}

// The most shards one worker holds: the ready shards spread over the live workers, rounded up.
export function leaseTarget(readyShards: number, liveWorkers: number): number {
  return Math.ceil(readyShards / Math.max(1, liveWorkers));
}

export interface BalanceInput {
  // Shards the group can process now (lineage-ready, not finished), by id.
  ready: string[];
  leases: ShardLease[];
  // Workers of the group that announced themselves recently (this one included or not).
  workers: string[];
  me: string;
  // The shards this worker is processing now.
  held: string[];
  nowMs: number;
}

export interface BalancePlan {
  target: number;
  // Shards to try to take, in order, until `want` are taken (a take can lose to another worker).
  candidates: string[];
  want: number;
  // Shards to give back at their next batch boundary (this worker holds more than its share).
  shed: string[];
}

// One balancing round of one worker. Live workers are those announced plus every owner of a live lease;
// each takes free or expired leases up to ceil(ready / workers) and gives back what is above it. No
// worker takes a live lease from another: a newcomer gets shards as the others give their excess back.
export function planBalance(input: BalanceInput): BalancePlan {
  const { ready, leases, me, nowMs } = input;
  const byShard = new Map(leases.map((lease) => [lease.shardId, lease]));
  const workers = new Set([...input.workers, me]);
  for (const lease of leases) if (isLeaseLive(lease, nowMs) && ready.includes(lease.shardId)) workers.add(lease.owner!);
  const target = leaseTarget(ready.length, workers.size);
  const held = input.held.filter((shardId) => ready.includes(shardId)).sort();
  const shed = held.length > target ? held.slice(target) : [];
  const candidates = ready
    .filter((shardId) => !held.includes(shardId) && mayTakeLease(byShard.get(shardId) ?? null, me, nowMs))
    .sort();
  return { target, candidates, want: Math.max(0, target - held.length), shed };
}
