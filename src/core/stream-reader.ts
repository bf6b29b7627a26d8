// Reading several shards as one sequence of records, merged by arrival time (ties in shard order) with
// each shard's own order kept: what `tail` and `replay` print. Works on any StreamStore, page by page.
import type { StreamStore } from './stream-store.js';
import type { StreamPosition, StreamRecord } from './stream-types.js';
import { STREAM_LIMITS } from './stream-attributes.js';

export interface ShardCursor {
  shardId: string;
  // Where reading continues; moved on as records are handed out (after the last one handed out).
  position: StreamPosition;
}

export interface MergeOptions {
  // A shard ends at its first record that arrived at or after this time (the end of a time window).
  until?: number;
  pageSize?: number;
}

interface ShardState {
  cursor: ShardCursor;
  fetchFrom: StreamPosition;
  buffer: StreamRecord[];
  at: number;
  lastPage: boolean;
  done: boolean;
}

// Reads every shard from its cursor to its end as found when reached, yielding batches in merged order.
// The cursors are moved before each batch is yielded, so a caller stopping early resumes correctly
// after the last record of the batches it consumed.
export async function* readMerged(
  store: StreamStore,
  stream: string,
  cursors: ShardCursor[],
  options: MergeOptions = {},
): AsyncGenerator<StreamRecord[]> {
  const pageSize = options.pageSize ?? STREAM_LIMITS.readLimit.max;
  const states: ShardState[] = cursors.map((cursor) => ({
    cursor, fetchFrom: cursor.position, buffer: [], at: 0, lastPage: false, done: false,
  }));
  const fill = async (state: ShardState) => {
    while (!state.done && state.at >= state.buffer.length) {
      if (state.lastPage) {
        state.done = true;
        break;
      }
      const result = await store.read(stream, state.cursor.shardId, state.fetchFrom, { limit: pageSize });
      state.fetchFrom = result.next;
      state.buffer = result.records;
      state.at = 0;
      state.lastPage = result.caughtUp;
      if (options.until !== undefined) {
        const end = state.buffer.findIndex((r) => r.arrivedAt >= options.until!);
        if (end !== -1) {
          state.buffer = state.buffer.slice(0, end);
          state.lastPage = true;
        }
      }
      if (state.buffer.length === 0 && state.lastPage) state.done = true;
    }
  };
  // After a batch: a shard whose records were all handed out continues where its last read ended.
  const advance = (batch: StreamRecord[]) => {
    const lastByShard = new Map<string, StreamRecord>();
    for (const record of batch) lastByShard.set(record.shardId, record);
    for (const state of states) {
      const last = lastByShard.get(state.cursor.shardId);
      if (state.at >= state.buffer.length) state.cursor.position = state.fetchFrom;
      else if (last) state.cursor.position = { type: 'after-sequence', sequence: last.sequence };
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

  let batch: StreamRecord[] = [];
  for (;;) {
    await Promise.all(states.map(fill));
    let next: ShardState | undefined;
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

// Keeps reading as records arrive: yields each round of new records (merged), and between rounds waits
// for a put by any process (or a second at most), until `signal` aborts.
export async function* followMerged(
  store: StreamStore,
  stream: string,
  cursors: ShardCursor[],
  signal: AbortSignal,
): AsyncGenerator<StreamRecord[]> {
  const watcher = await store.watch(stream);
  try {
    while (!signal.aborted) {
      let any = false;
      for await (const batch of readMerged(store, stream, cursors)) {
        any = true;
        yield batch;
        if (signal.aborted) return;
      }
      if (!any) await watcher.wait(1000, signal);
    }
  } finally {
    watcher.close();
  }
}

// The last record of each shard in `records`: what a consumer group checkpoints after handling them.
export function lastSequenceByShard(records: StreamRecord[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const record of records) last.set(record.shardId, record.sequence);
  return last;
}
