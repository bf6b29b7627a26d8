// Shard leases and leased checkpoints of consumer groups (KCL semantics, items 92-94 of the spec's
// checklist), as every StreamStore must keep them, written once and run against each backend. Real time:
// leases last at least a second, so the expiry test waits a little over one.
import { describe, expect, it } from 'vitest';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { ShardLease } from '../../src/core/stream-types.js';
import { codeOf } from '../helpers/error-codes.js';
import { type BackendFactory, useFreshBackend } from './backend-fixture.js';

const S0 = 'shardId-000000000000';
const S1 = 'shardId-000000000001';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seq = (n: number) => `1000000000000${String(n).padStart(20, '0')}`;

export function describeStreamLeaseContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`StreamStore leases: ${backendName}`, () => {
    let s: StreamStore;
    useFreshBackend(makeBackend, async (backend) => {
      s = backend.streams;
      await s.create('ev', { shardCount: 2 });
      await s.put('ev', [{ data: 'a', explicitHashKey: '0' }, { data: 'b', explicitHashKey: '0' }]);
    });

    const take = (owner: string, shardId = S0, ms = 5000) => s.takeLease('ev', 'g', shardId, owner, ms);

    it('gives a shard\'s lease to one live holder at a time; another worker cannot take it while it is renewed (92)', async () => {
      const lease = (await take('w1'))!;
      expect(lease).toMatchObject({ shardId: S0, owner: 'w1', counter: 1 });
      expect(lease.expiresAt).toBeGreaterThan(Date.now() + 4000);
      expect(await take('w2')).toBeNull();
      const renewed = (await s.renewLease('ev', 'g', lease, 5000))!;
      expect(renewed).toMatchObject({ owner: 'w1', counter: 2 });
      expect(await take('w2')).toBeNull();
      expect(await take('w2', S1)).toMatchObject({ owner: 'w2', shardId: S1 });
      expect((await s.leases('ev', 'g')).map((l) => [l.shardId, l.owner, l.counter])).toEqual([[S0, 'w1', 2], [S1, 'w2', 1]]);
    });

    it('lets another worker take a lease that was not renewed in time, and the old holder can no longer renew or checkpoint (93, 94)', async () => {
      const old = (await take('w1', S0, 1000))!;
      await sleep(1100);
      const taken = (await take('w2'))!;
      expect(taken).toMatchObject({ owner: 'w2', counter: 2 });
      expect(await s.renewLease('ev', 'g', old, 1000)).toBeNull();
      expect(await codeOf(s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }, old))).toBe('LEASE_LOST');
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(2) }, taken);
      expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sequence: seq(2) } });
    });

    it('refuses a checkpoint with a lease renewed since (counter changed) or from another shard (94)', async () => {
      const first = (await take('w1'))!;
      const renewed = (await s.renewLease('ev', 'g', first, 5000))!;
      expect(await codeOf(s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }, first))).toBe('LEASE_LOST');
      expect(await codeOf(s.setCheckpoint('ev', 'g', S1, { sequence: seq(1) }, renewed))).toBe('INVALID_ARGUMENT');
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }, renewed);
      await s.setCheckpoint('ev', 'g', S0, { sentinel: 'SHARD_END' }, renewed);
      expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sentinel: 'SHARD_END' } });
    });

    it('frees a released lease at once; the released holder can neither renew nor checkpoint', async () => {
      const lease = (await take('w1'))!;
      await s.releaseLease('ev', 'g', lease);
      expect((await s.leases('ev', 'g'))[0]).toMatchObject({ owner: null, counter: 2 });
      expect(await s.renewLease('ev', 'g', lease, 5000)).toBeNull();
      expect(await codeOf(s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }, lease))).toBe('LEASE_LOST');
      const taken = (await take('w2'))!;
      expect(taken).toMatchObject({ owner: 'w2', counter: 3 });
      // Releasing a lease one no longer holds changes nothing.
      await s.releaseLease('ev', 'g', lease);
      expect((await s.leases('ev', 'g'))[0]).toMatchObject({ owner: 'w2', counter: 3 });
    });

    it('refuses a checkpoint without a lease while a worker holds the shard live, and allows it once released', async () => {
      const lease = (await take('w1'))!;
      expect(await codeOf(s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }))).toBe('CONFLICT');
      await s.setCheckpoint('ev', 'g', S1, { sequence: '100000000000100000000000000000000' });
      await s.setCheckpoint('ev', 'other', S0, { sequence: seq(1) });
      await s.releaseLease('ev', 'g', lease);
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) });
    });

    it('never moves a checkpoint back: an earlier one than stored changes nothing', async () => {
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(2) });
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) });
      await s.setCheckpoint('ev', 'g', S0, { sentinel: 'TRIM_HORIZON' });
      expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sequence: seq(2) } });
      const lease = (await take('w1'))!;
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(1) }, lease);
      expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sequence: seq(2) } });
      await s.setCheckpoint('ev', 'g', S0, { sentinel: 'SHARD_END' }, lease);
      await s.setCheckpoint('ev', 'g', S0, { sequence: seq(3) }, lease);
      expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sentinel: 'SHARD_END' } });
    });

    it('records start checkpoints only where none exists (the first writer wins)', async () => {
      expect(await s.initCheckpoints('ev', 'g', { [S0]: { sentinel: 'TRIM_HORIZON' } })).toEqual({ [S0]: { sentinel: 'TRIM_HORIZON' } });
      expect(await s.initCheckpoints('ev', 'g', { [S0]: { sequence: seq(2) }, [S1]: { sentinel: 'LATEST' } })).toEqual({
        [S0]: { sentinel: 'TRIM_HORIZON' }, [S1]: { sentinel: 'LATEST' },
      });
      expect(await codeOf(s.initCheckpoints('ev', 'g', { 'shardId-000000000009': { sentinel: 'LATEST' } }))).toBe('SHARD_NOT_FOUND');
    });

    it('shows the live lease holder per group and shard in groups', async () => {
      await s.setCheckpoint('ev', 'g', S0, { sentinel: 'TRIM_HORIZON' });
      const lease: ShardLease = (await take('w1'))!;
      expect(await s.groups('ev')).toMatchObject([{ group: 'g', shardId: S0, leaseOwner: 'w1', lagRecords: 2 }]);
      await s.releaseLease('ev', 'g', lease);
      expect((await s.groups('ev'))[0]!.leaseOwner).toBeUndefined();
    });

    it('lists the workers announced and not expired; a worker leaving is gone at once', async () => {
      expect(await s.announceWorker('ev', 'g', 'w1', 5000)).toEqual(['w1']);
      expect(await s.announceWorker('ev', 'g', 'w2', 1000)).toEqual(['w1', 'w2']);
      await sleep(1100);
      expect(await s.announceWorker('ev', 'g', 'w1', 5000)).toEqual(['w1']);
      expect(await s.announceWorker('ev', 'g', 'w1', 0)).toEqual([]);
      expect(await codeOf(s.announceWorker('ev', 'g', 'bad/id', 5000))).toBe('INVALID_NAME');
    });

    it('checks names and durations', async () => {
      expect(await codeOf(s.takeLease('ev', 'bad/g', S0, 'w1', 5000))).toBe('INVALID_NAME');
      expect(await codeOf(s.takeLease('ev', 'g', S0, 'bad/w', 5000))).toBe('INVALID_NAME');
      expect(await codeOf(s.takeLease('ev', 'g', S0, 'w1', 10))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(s.takeLease('ev', 'g', 'shardId-000000000009', 'w1', 5000))).toBe('SHARD_NOT_FOUND');
      expect(await codeOf(s.takeLease('nope', 'g', S0, 'w1', 5000))).toBe('STREAM_NOT_FOUND');
    });
  });
}
