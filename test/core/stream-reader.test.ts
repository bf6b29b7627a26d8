import { describe, expect, it } from 'vitest';
import { lastSequenceByShard, readLast, readMerged } from '../../src/core/stream-reader.js';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { ReadResult, StreamPosition, StreamRecord } from '../../src/core/stream-types.js';

// A store holding fixed records per shard, read page by page (only `read` is used by the reader).
function fakeStore(shards: Record<string, [number, string][]>): StreamStore {
  const records = Object.fromEntries(Object.entries(shards).map(([shardId, list]) => [
    shardId,
    list.map(([arrivedAt, data], i): StreamRecord => ({ shardId, sequence: String(i + 1).padStart(3, '0'), arrivedAt, partitionKey: 'k', data })),
  ]));
  const read = async (_stream: string, shardId: string, from: StreamPosition, options: { limit?: number; until?: number } = {}): Promise<ReadResult> => {
    const all = records[shardId]!;
    let start = 0;
    if (from.type === 'after-sequence') start = Number(from.sequence);
    if (from.type === 'last') start = Math.max(0, all.length - from.count);
    if (from.type === 'latest') start = all.length;
    let page = all.slice(start, start + (options.limit ?? 10_000));
    const windowEnd = page.findIndex((r) => options.until !== undefined && r.arrivedAt >= options.until);
    if (windowEnd !== -1) page = page.slice(0, windowEnd);
    const end = start + page.length;
    return { records: page, next: { type: 'after-sequence', sequence: String(end).padStart(3, '0') }, caughtUp: windowEnd !== -1 || end >= all.length, millisBehindLatest: 0 };
  };
  return { read } as unknown as StreamStore;
}

async function collect(store: StreamStore, cursors: { shardId: string; position: StreamPosition }[], options = {}) {
  const batches: string[][] = [];
  for await (const batch of readMerged(store, 's', cursors, options)) batches.push(batch.map((r) => r.data));
  return batches;
}

const start = (shardId: string): { shardId: string; position: StreamPosition } => ({ shardId, position: { type: 'trim-horizon' } });

describe('reading shards merged by arrival time', () => {
  const store = fakeStore({
    a: [[1, 'a1'], [3, 'a3'], [3, 'a3b'], [7, 'a7']],
    b: [[2, 'b2'], [3, 'b3'], [9, 'b9']],
    c: [],
  });

  it('orders records by arrival time, ties in shard order, each shard in its own order, across pages', async () => {
    const batches = await collect(store, [start('a'), start('b'), start('c')], { pageSize: 2 });
    expect(batches.flat()).toEqual(['a1', 'b2', 'a3', 'a3b', 'b3', 'a7', 'b9']);
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
  });

  it('ends each shard at the first record at or after `until`', async () => {
    expect((await collect(store, [start('a'), start('b')], { until: 3 })).flat()).toEqual(['a1', 'b2']);
  });

  it('moves the cursors after the records handed out, so a later read resumes exactly', async () => {
    const cursors = [start('a'), start('b')];
    const iterator = readMerged(store, 's', cursors, { pageSize: 3 });
    const first = await iterator.next();
    expect(first.value!.map((r: StreamRecord) => r.data)).toEqual(['a1', 'b2', 'a3']);
    await iterator.return(undefined);
    expect((await collect(store, cursors)).flat()).toEqual(['a3b', 'b3', 'a7', 'b9']);
    expect(cursors.map((c) => c.position)).toEqual([
      { type: 'after-sequence', sequence: '004' }, { type: 'after-sequence', sequence: '003' },
    ]);
  });

  it('reads one shard page by page without merging', async () => {
    expect(await collect(store, [start('a')], { pageSize: 3 })).toEqual([['a1', 'a3', 'a3b'], ['a7']]);
  });

  it('takes the last N records of all shards together', async () => {
    const cursors = [start('a'), start('b'), start('c')];
    expect((await readLast(store, 's', cursors, 3)).map((r) => r.data)).toEqual(['b3', 'a7', 'b9']);
    expect(await readLast(store, 's', cursors, 0)).toEqual([]);
  });

  it('names the last record of each shard in a batch, for checkpoints', () => {
    const records = [{ shardId: 'a', sequence: '1' }, { shardId: 'b', sequence: '5' }, { shardId: 'a', sequence: '2' }] as StreamRecord[];
    expect([...lastSequenceByShard(records)]).toEqual([['a', '2'], ['b', '5']]);
  });
});
