import { describe, expect, it } from 'vitest';
import { isLeaseLive, leaseFor, leaseTarget, mayTakeLease, planBalance, stillHeld } from '../../src/core/leases.js';
import type { ShardLease } from '../../src/core/stream-types.js';

const NOW = 100_000;
const S = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const lease = (n: number, owner: string | null, expiresAt = NOW + 5000, counter = 1): ShardLease => ({ shardId: S(n), owner, counter, expiresAt, updatedAt: NOW });

describe('lease decisions', () => {
  it('count a lease live while it has an owner and has not expired', () => {
    expect(isLeaseLive(lease(0, 'a'), NOW)).toBe(true);
    expect(isLeaseLive(lease(0, 'a', NOW), NOW)).toBe(false);
    expect(isLeaseLive(lease(0, null), NOW)).toBe(false);
    expect(isLeaseLive(null, NOW)).toBe(false);
  });

  it('let a worker take a lease never taken, released, expired or its own, and no other (92, 93)', () => {
    expect(mayTakeLease(null, 'b', NOW)).toBe(true);
    expect(mayTakeLease(lease(0, null), 'b', NOW)).toBe(true);
    expect(mayTakeLease(lease(0, 'a', NOW - 1), 'b', NOW)).toBe(true);
    expect(mayTakeLease(lease(0, 'a'), 'a', NOW)).toBe(true);
    expect(mayTakeLease(lease(0, 'a'), 'b', NOW)).toBe(false);
  });

  it('move the counter on with every take and renewal, so a holder that lost the lease can tell (94)', () => {
    const taken = leaseFor(null, S(0), 'a', 3000, NOW);
    expect(taken).toEqual({ shardId: S(0), owner: 'a', counter: 1, expiresAt: NOW + 3000, updatedAt: NOW });
    const renewed = leaseFor(taken, S(0), 'a', 3000, NOW + 1000);
    expect(renewed.counter).toBe(2);
    expect(stillHeld(renewed, taken)).toBe(false);
    expect(stillHeld(renewed, renewed)).toBe(true);
    const stolen = leaseFor(renewed, S(0), 'b', 3000, NOW + 9000);
    expect(stillHeld(stolen, { ...renewed })).toBe(false);
    expect(stillHeld(null, renewed)).toBe(false);
    expect(leaseFor(renewed, S(0), null, 3000, NOW)).toMatchObject({ owner: null, counter: 3, expiresAt: NOW });
  });

  it('keep an expired lease held by its holder until another worker takes it (KCL)', () => {
    const held = lease(0, 'a', NOW - 10);
    expect(stillHeld(held, held)).toBe(true);
  });

  it('share shards at most ceil(ready / workers) each', () => {
    expect([leaseTarget(4, 1), leaseTarget(4, 2), leaseTarget(4, 3), leaseTarget(5, 2), leaseTarget(0, 3), leaseTarget(3, 0)]).toEqual([4, 2, 2, 3, 0, 3]);
  });
});

describe('balancing a group', () => {
  const ready = [0, 1, 2, 3].map(S);

  it('a worker alone takes every ready shard', () => {
    expect(planBalance({ ready, leases: [], workers: [], me: 'a', held: [], nowMs: NOW })).toEqual({ target: 4, candidates: ready, want: 4, shed: [] });
  });

  it('a worker holding everything gives back its excess once a second worker announces itself', () => {
    const leases = ready.map((s, i) => lease(i, 'a'));
    expect(planBalance({ ready, leases, workers: ['a', 'b'], me: 'a', held: ready, nowMs: NOW })).toMatchObject({ target: 2, want: 0, shed: [S(2), S(3)] });
    // The newcomer takes no live lease: it waits for the excess to be released.
    expect(planBalance({ ready, leases, workers: ['a', 'b'], me: 'b', held: [], nowMs: NOW })).toEqual({ target: 2, candidates: [], want: 2, shed: [] });
    const released = [lease(0, 'a'), lease(1, 'a'), lease(2, null), lease(3, null)];
    expect(planBalance({ ready, leases: released, workers: ['a', 'b'], me: 'b', held: [], nowMs: NOW })).toMatchObject({ candidates: [S(2), S(3)], want: 2 });
  });

  it('counts the owner of a live lease as a worker even without an announcement', () => {
    const leases = [lease(0, 'a'), lease(1, 'a')];
    expect(planBalance({ ready, leases, workers: [], me: 'b', held: [], nowMs: NOW })).toMatchObject({ target: 2, candidates: [S(2), S(3)], want: 2 });
  });

  it('takes over the expired leases of a dead worker once it is no longer announced (93)', () => {
    const leases = [lease(0, 'dead', NOW - 1), lease(1, 'dead', NOW - 1), lease(2, 'b'), lease(3, 'b')];
    expect(planBalance({ ready, leases, workers: ['b'], me: 'b', held: [S(2), S(3)], nowMs: NOW })).toEqual({ target: 4, candidates: [S(0), S(1)], want: 2, shed: [] });
  });

  it('leaves out shards that are not ready (a child waiting for its parent, or finished)', () => {
    expect(planBalance({ ready: [S(4)], leases: [], workers: ['a', 'b'], me: 'a', held: [S(0)], nowMs: NOW })).toEqual({ target: 1, candidates: [S(4)], want: 1, shed: [] });
  });
});
