// Resharding and lineage order, as every StreamStore must do them (Kinesis semantics, items 80-86 and
// 95-96 of the spec's checklist), written once and run against each backend. Real time only.
import { describe, expect, it } from 'vitest';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { ReadResult, StreamRecord } from '../../src/core/stream-types.js';
import { MAX_HASH_KEY } from '../../src/core/hash-keys.js';
import { readGroup } from '../../src/core/stream-groups.js';
import { lastSequenceByShard } from '../../src/core/stream-reader.js';
import { codeOf } from '../helpers/error-codes.js';
import { type BackendFactory, useFreshBackend } from './backend-fixture.js';

const S = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const HALF = 2n ** 127n;
const LOW = '0';
const HIGH = MAX_HASH_KEY.toString();

export function describeStreamReshardContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`StreamStore resharding: ${backendName}`, () => {
    let s: StreamStore;
    useFreshBackend(makeBackend, (backend) => {
      s = backend.streams;
    });

    const put = async (records: { data: string; partitionKey?: string; explicitHashKey?: string }[]) =>
      (await s.put('ev', records)).map((o) => {
        if (!o.ok) throw o.error;
        return o;
      });
    const readAll = async (shardId: string): Promise<StreamRecord[]> => {
      const records: StreamRecord[] = [];
      let position: Parameters<StreamStore['read']>[2] = { type: 'trim-horizon' };
      for (;;) {
        const result: ReadResult = await s.read('ev', shardId, position, { limit: 2 });
        records.push(...result.records);
        position = result.next;
        if (result.caughtUp) return records;
      }
    };
    // One run of a group: everything it has not read, checkpointing each batch as it goes.
    const consume = async (group: string, start: Parameters<typeof readGroup>[3]['start'] = { type: 'trim-horizon' }) => {
      const seen: StreamRecord[] = [];
      for await (const batch of readGroup(s, 'ev', group, { start })) {
        seen.push(...batch);
        for (const [shardId, sequence] of lastSequenceByShard(batch)) await s.setCheckpoint('ev', group, shardId, { sequence });
      }
      return seen;
    };

    it('splits an open shard: the parent closes at its last record, two children split its range at the key (80)', async () => {
      await s.create('ev', { shardCount: 2 });
      const [, last] = await put([{ data: 'a', explicitHashKey: LOW }, { data: 'b', explicitHashKey: LOW }]);
      const { createdAt } = (await s.get('ev')).shards[0]!;
      const result = await s.splitShard('ev', S(0), (HALF / 2n).toString());
      expect(result.closed).toEqual([{
        shardId: S(0), state: 'closed', hashKeyRange: { startingHashKey: '0', endingHashKey: (HALF - 1n).toString() },
        sequenceNumberRange: { startingSequenceNumber: '100000000000000000000000000000001', endingSequenceNumber: last!.sequence },
        createdAt, closedAt: expect.any(Number),
      }]);
      // Children are made when their parent closes (ListShards' time filters rely on it).
      const closedAt = result.closed[0]!.closedAt!;
      expect(closedAt).toBeGreaterThanOrEqual(createdAt!);
      expect(result.created).toEqual([
        { shardId: S(2), state: 'open', parentShardId: S(0), hashKeyRange: { startingHashKey: '0', endingHashKey: (HALF / 2n - 1n).toString() }, sequenceNumberRange: { startingSequenceNumber: '100000000000200000000000000000001' }, createdAt: closedAt },
        { shardId: S(3), state: 'open', parentShardId: S(0), hashKeyRange: { startingHashKey: (HALF / 2n).toString(), endingHashKey: (HALF - 1n).toString() }, sequenceNumberRange: { startingSequenceNumber: '100000000000300000000000000000001' }, createdAt: closedAt },
      ]);
      expect(result.stream).toMatchObject({ shardCount: 4, openShardCount: 3 });
      expect((await s.get('ev')).shards.map((x) => [x.shardId, x.state])).toEqual([[S(0), 'closed'], [S(1), 'open'], [S(2), 'open'], [S(3), 'open']]);
      const split = await s.splitShard('ev', S(3));
      expect(split.created.map((x) => x.hashKeyRange.startingHashKey)).toEqual([(HALF / 2n).toString(), (HALF / 4n * 3n).toString()]);
    });

    it('refuses a split key outside the range, a closed shard and a missing one (81)', async () => {
      await s.create('ev', { shardCount: 2 });
      expect(await codeOf(s.splitShard('ev', S(0), HALF.toString()))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(s.splitShard('ev', S(0), '0'))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(s.splitShard('ev', S(0), 'abc'))).toBe('INVALID_ARGUMENT');
      await s.splitShard('ev', S(0));
      expect(await codeOf(s.splitShard('ev', S(0)))).toBe('SHARD_CLOSED');
      expect(await codeOf(s.mergeShards('ev', S(0), S(1)))).toBe('SHARD_CLOSED');
      expect(await codeOf(s.splitShard('ev', S(9)))).toBe('SHARD_NOT_FOUND');
      expect(await codeOf(s.splitShard('nope', S(0)))).toBe('STREAM_NOT_FOUND');
      expect((await s.get('ev')).shardCount).toBe(4);
    });

    it('merges two adjacent open shards into one child over both, and refuses shards that are not adjacent (82)', async () => {
      await s.create('ev', { shardCount: 3 });
      expect(await codeOf(s.mergeShards('ev', S(0), S(2)))).toBe('INVALID_ARGUMENT');
      const result = await s.mergeShards('ev', S(2), S(1));
      const [, r1, r2] = (await s.get('ev')).shards;
      expect(result.created).toEqual([{
        shardId: S(3), state: 'open', parentShardId: S(2), adjacentParentShardId: S(1),
        hashKeyRange: { startingHashKey: r1!.hashKeyRange.startingHashKey, endingHashKey: r2!.hashKeyRange.endingHashKey },
        sequenceNumberRange: { startingSequenceNumber: '100000000000300000000000000000001' },
        createdAt: result.closed[0]!.closedAt,
      }]);
      expect(result.closed.map((x) => [x.shardId, x.sequenceNumberRange.endingSequenceNumber])).toEqual([
        [S(2), '100000000000200000000000000000000'], [S(1), '100000000000100000000000000000000'],
      ]);
    });

    it('sends new writes to the child covering the key, and keeps older records readable in the parent (83, 85)', async () => {
      await s.create('ev', { shardCount: 1 });
      const before = await put([{ data: 'old-low', explicitHashKey: LOW }, { data: 'old-high', explicitHashKey: HIGH }]);
      await s.splitShard('ev', S(0));
      const after = await put([{ data: 'new-low', explicitHashKey: LOW }, { data: 'new-high', explicitHashKey: HIGH }, { data: 'k', partitionKey: 'user-1' }]);
      expect(before.map((r) => r.shardId)).toEqual([S(0), S(0)]);
      expect(after.slice(0, 2).map((r) => r.shardId)).toEqual([S(1), S(2)]);
      expect([S(1), S(2)]).toContain(after[2]!.shardId);
      expect((await readAll(S(0))).map((r) => r.data)).toEqual(['old-low', 'old-high']);
      expect((await s.read('ev', S(0), { type: 'latest' })).records).toEqual([]);
      expect((await s.read('ev', S(0), { type: 'at-sequence', sequence: before[1]!.sequence })).records.map((r) => r.data)).toEqual(['old-high']);
      expect((await s.read('ev', S(0), { type: 'last', count: 1 })).records.map((r) => r.data)).toEqual(['old-high']);
    });

    it('ends a closed shard read to its end with shardEnd and the children that took its keys (84)', async () => {
      await s.create('ev', { shardCount: 2 });
      await put([{ data: 'a', explicitHashKey: LOW }, { data: 'b', explicitHashKey: LOW }]);
      const open = await s.read('ev', S(0), { type: 'trim-horizon' });
      expect(open).toMatchObject({ caughtUp: true, shardEnd: false });
      await s.mergeShards('ev', S(0), S(1));
      const first = await s.read('ev', S(0), { type: 'trim-horizon' }, { limit: 1 });
      expect(first).toMatchObject({ caughtUp: false, shardEnd: false });
      const end = await s.read('ev', S(0), first.next);
      expect(end.records.map((r) => r.data)).toEqual(['b']);
      expect(end.shardEnd).toBe(true);
      expect(end.childShards).toEqual([{ shardId: S(2), parentShards: [S(0), S(1)], hashKeyRange: { startingHashKey: '0', endingHashKey: HIGH } }]);
      expect(await s.read('ev', S(1), { type: 'trim-horizon' })).toMatchObject({ records: [], shardEnd: true });
      expect(await s.read('ev', S(2), { type: 'trim-horizon' })).toMatchObject({ shardEnd: false });
    });

    it('updates the shard count to exactly T open shards covering every hash key, lineage recorded (86)', async () => {
      await s.create('ev', { shardCount: 3 });
      const up = await s.updateShardCount('ev', 5);
      const open = up.stream.shards.filter((x) => x.state === 'open');
      expect(open).toHaveLength(5);
      const ranges = open.map((x) => [BigInt(x.hashKeyRange.startingHashKey), BigInt(x.hashKeyRange.endingHashKey)] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      expect(ranges[0]![0]).toBe(0n);
      expect(ranges.at(-1)![1]).toBe(MAX_HASH_KEY);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);
      for (const shard of up.stream.shards.filter((x) => x.state === 'closed')) {
        expect(shard.sequenceNumberRange.endingSequenceNumber).toMatch(/^\d{33}$/);
        expect(up.stream.shards.some((c) => c.parentShardId === shard.shardId || c.adjacentParentShardId === shard.shardId)).toBe(true);
      }
      for (const shard of up.created) expect(shard.parentShardId).toBeDefined();
      expect(up.closed.map((x) => x.shardId)).toEqual([S(0), S(1), S(2)]);
      expect(await codeOf(s.updateShardCount('ev', 11))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(s.updateShardCount('ev', 2))).toBe('INVALID_ARGUMENT');
      expect((await s.updateShardCount('ev', 5)).created).toEqual([]);
      const down = await s.updateShardCount('ev', 3);
      expect(down.stream.openShardCount).toBe(3);
      // The shard count a stream was created with still matches it.
      expect((await s.create('ev', { shardCount: 3 })).created).toBe(false);
    });

    it('reads a group in lineage order: a parent to its end (SHARD_END) before its children, per key in put order (95, 96)', async () => {
      await s.create('ev', { shardCount: 1 });
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      const round = (n: number) => put(keys.map((key) => ({ data: `${key}:${n}`, partitionKey: key })));
      await round(1);
      await round(2);
      await s.splitShard('ev', S(0));
      await round(3);
      await s.mergeShards('ev', S(1), S(2));
      await round(4);
      const seen = await consume('g');
      expect(seen).toHaveLength(24);
      for (const key of keys) expect(seen.filter((r) => r.partitionKey === key).map((r) => r.data)).toEqual([1, 2, 3, 4].map((n) => `${key}:${n}`));
      const order = seen.map((r) => r.shardId);
      expect(order.lastIndexOf(S(0))).toBeLessThan(Math.min(order.indexOf(S(1)), order.indexOf(S(2))));
      expect(Math.max(order.lastIndexOf(S(1)), order.lastIndexOf(S(2)))).toBeLessThan(order.indexOf(S(3)));
      expect(await s.checkpoints('ev', 'g')).toMatchObject({ [S(0)]: { sentinel: 'SHARD_END' }, [S(1)]: { sentinel: 'SHARD_END' }, [S(2)]: { sentinel: 'SHARD_END' } });
      expect(await consume('g')).toEqual([]);
    });

    it('holds a merge child back until both parents are finished (95)', async () => {
      await s.create('ev', { shardCount: 2 });
      await put([{ data: 'left', explicitHashKey: LOW }, { data: 'right', explicitHashKey: HIGH }]);
      await s.mergeShards('ev', S(0), S(1));
      await put([{ data: 'child', explicitHashKey: LOW }]);
      await s.setCheckpoint('ev', 'g', S(0), { sentinel: 'SHARD_END' });
      await s.setCheckpoint('ev', 'g', S(1), { sentinel: 'TRIM_HORIZON' });
      const batches: string[][] = [];
      for await (const batch of readGroup(s, 'ev', 'g', { start: { type: 'latest' } })) {
        batches.push(batch.map((r) => r.data));
        for (const [shardId, sequence] of lastSequenceByShard(batch)) await s.setCheckpoint('ev', 'g', shardId, { sequence });
      }
      expect(batches).toEqual([['right'], ['child']]);
    });

    it('starts a new group at LATEST on every shard, closed ones included, and a later child at its first record', async () => {
      await s.create('ev', { shardCount: 1 });
      await put([{ data: 'before', explicitHashKey: LOW }]);
      await s.splitShard('ev', S(0));
      await put([{ data: 'in-child-before', explicitHashKey: LOW }]);
      expect(await consume('late', { type: 'latest' })).toEqual([]);
      await put([{ data: 'new', explicitHashKey: LOW }]);
      await s.splitShard('ev', S(1));
      await put([{ data: 'grandchild', explicitHashKey: LOW }]);
      expect((await consume('late', { type: 'latest' })).map((r) => r.data)).toEqual(['new', 'grandchild']);
    });
  });
}
