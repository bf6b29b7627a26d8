// Reading several shards as one sequence of records, merged by arrival time (ties in shard order) with
// each shard's own order kept: what `tail` and `replay` print. Works on any StreamStore, page by page.
import type { StreamStore } from './stream-store.js';
import type { ReadResult, StreamPosition, StreamRecord } from './stream-types.js';
import { STREAM_LIMITS } from './stream-attributes.js';

export interface ShardCursor {
  shardId: string;
  // Where reading continues; moved on as records are handed out (after the last one handed out).
  position: StreamPosition;
  // Set once every record of a closed shard has been handed out (the shard's end was reached).
  ended?: boolean;
}

export interface MergeOptions {
  // A shard ends at its first record that arrived at or after this time (the end of a time window).
  until?: number;
  pageSize?: number;
  // 'bytes': records carry their data as UTF-8 bytes (see ReadOptions).
  dataAs?: 'string' | 'bytes';
}

type Data = string | Uint8Array;

interface ShardState<D extends Data> {
  cursor: ShardCursor;
  fetchFrom: StreamPosition;
  buffer: StreamRecord<D>[];
  at: number;
  lastPage: boolean;
  // The last page was the end of a closed shard.
  shardEnd: boolean;
  done: boolean;
}

// Reads every shard from its cursor to its end as found when reached, yielding batches in merged order.
// The cursors are moved before each batch is yielded, so a caller stopping early resumes correctly
// after the last record of the batches it consumed.
export function readMerged(store: StreamStore, stream: string, cursors: ShardCursor[], options?: MergeOptions & { dataAs?: 'string' }): AsyncGenerator<StreamRecord[]>;
export function readMerged(store: StreamStore, stream: string, cursors: ShardCursor[], options: MergeOptions & { dataAs: 'bytes' }): AsyncGenerator<StreamRecord<Uint8Array>[]>;
export function readMerged(store: StreamStore, stream: string, cursors: ShardCursor[], options: MergeOptions = {}): AsyncGenerator<StreamRecord<Data>[]> {
  const read = (shardId: string, position: StreamPosition, limit: number) => store.read(stream, shardId, position, {
    limit, dataAs: options.dataAs, ...(options.until === undefined ? {} : { until: options.until }),
  } as { limit: number; dataAs: 'bytes' }) as Promise<ReadResult<Data>>;
  return merge(read, cursors, options);
}

async function* merge<D extends Data>(
  read: (shardId: string, position: StreamPosition, limit: number) => Promise<ReadResult<D>>,
  cursors: ShardCursor[],
  options: MergeOptions,
): AsyncGenerator<StreamRecord<D>[]> {
  const pageSize = options.pageSize ?? STREAM_LIMITS.readLimit.max;
  const states: ShardState<D>[] = cursors.map((cursor) => ({
    cursor, fetchFrom: cursor.position, buffer: [], at: 0, lastPage: false, shardEnd: false, done: false,
  }));
  const fill = async (state: ShardState<D>) => {
    while (!state.done && state.at >= state.buffer.length) {
      if (state.lastPage) {
        state.done = true;
        break;
      }
      const result = await read(state.cursor.shardId, state.fetchFrom, pageSize);
      state.fetchFrom = result.next;
      state.buffer = result.records;
      state.at = 0;
      state.lastPage = result.caughtUp;
      state.shardEnd = result.shardEnd === true;
      if (state.buffer.length === 0 && state.lastPage) state.done = true;
    }
  };
  // After a batch: a shard whose records were all handed out continues where its last read ended.
  const advance = (batch: StreamRecord<D>[]) => {
    const lastByShard = new Map<string, StreamRecord<D>>();
    for (const record of batch) lastByShard.set(record.shardId, record);
    for (const state of states) {
      const last = lastByShard.get(state.cursor.shardId);
      if (state.at >= state.buffer.length) {
        state.cursor.position = state.fetchFrom;
        if (state.lastPage && state.shardEnd) state.cursor.ended = true;
      } else if (last) {
        state.cursor.position = { type: 'after-sequence', sequence: last.sequence };
      }
    }
  };

  if (states.length === 1) {
    const only = states[0]!;
    for (;;) {
      await fill(only);
      if (only.done) break;
      const batch = only.at === 0 ? only.buffer : only.buffer.slice(only.at);
      only.at = only.buffer.length;
      advance(batch);
      yield batch;
    }
    advance([]);
    return;
  }

  let batch: StreamRecord<D>[] = [];
  for (;;) {
    await Promise.all(states.map(fill));
    let next: ShardState<D> | undefined;
    for (const state of states) {
      if (state.done) continue;
      const head = state.buffer[state.at]!;
      if (!next || head.arrivedAt < next.buffer[next.at]!.arrivedAt) next = state;
    }
    if (!next) break;
    batch.push(next.buffer[next.at++]!);
    if (batch.length >= pageSize) {
      advance(batch);
      yield batch;
      batch = [];
    }
  }
  advance(batch);
  if (batch.length > 0) yield batch;
}

// One shard's data from its cursor to its end (or `until`), a block of newline-terminated lines at a
// time (StreamStore.readData): the fast way to copy one shard out. The cursor moves after each block.
export async function* readDataBlocks(
  store: StreamStore,
  stream: string,
  cursor: ShardCursor,
  options: { until?: number; limit?: number } = {},
): AsyncGenerator<{ data: Uint8Array; count: number }> {
  for (;;) {
    const result = await store.readData(stream, cursor.shardId, cursor.position, options);
    cursor.position = result.next;
    if (result.count > 0) yield { data: result.data, count: result.count };
    if (result.caughtUp) return;
  }
}

// The last `count` records of the shards together (by arrival time), in order. Leaves the cursors at the
// end of each shard, ready to follow.
export async function readLast(store: StreamStore, stream: string, cursors: ShardCursor[], count: number): Promise<StreamRecord[]> {
  for (const cursor of cursors) cursor.position = { type: 'last', count };
  let tail: StreamRecord[] = [];
  for await (const batch of readMerged(store, stream, cursors)) {
    tail = tail.concat(batch);
    if (tail.length > 2 * count) tail = tail.slice(-count);
  }
  return count === 0 ? [] : tail.slice(-count);
}

export interface FollowOptions {
  dataAs?: 'string' | 'bytes';
  // Also follow shards that appear meanwhile (the children of a split or merge), from their first record.
  newShards?: boolean;
}

// Keeps reading as records arrive: yields each round of new records (merged), and between rounds waits
// for a put by any process (or a second at most), until `signal` aborts.
export function followMerged(store: StreamStore, stream: string, cursors: ShardCursor[], signal: AbortSignal, options?: FollowOptions & { dataAs?: 'string' }): AsyncGenerator<StreamRecord[]>;
export function followMerged(store: StreamStore, stream: string, cursors: ShardCursor[], signal: AbortSignal, options: FollowOptions & { dataAs: 'bytes' }): AsyncGenerator<StreamRecord<Uint8Array>[]>;
export async function* followMerged(
  store: StreamStore,
  stream: string,
  cursors: ShardCursor[],
  signal: AbortSignal,
  options: FollowOptions = {},
): AsyncGenerator<StreamRecord<Data>[]> {
  const watcher = await store.watch(stream);
  try {
    while (!signal.aborted) {
      let any = false;
      for await (const batch of readMerged(store, stream, cursors, { dataAs: options.dataAs } as { dataAs: 'bytes' })) {
        any = true;
        yield batch;
        if (signal.aborted) return;
      }
      if (any) continue;
      if (options.newShards) {
        const known = new Set(cursors.map((c) => c.shardId));
        const added = (await store.get(stream)).shards.filter((s) => !known.has(s.shardId));
        for (const shard of added) cursors.push({ shardId: shard.shardId, position: { type: 'trim-horizon' } });
        if (added.length > 0) continue;
      }
      await watcher.wait(1000, signal);
    }
  } finally {
    watcher.close();
  }
}

// The last record of each shard in `records`: what a consumer group checkpoints after handling them.
export function lastSequenceByShard(records: StreamRecord<Data>[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const record of records) last.set(record.shardId, record.sequence);
  return last;
}
