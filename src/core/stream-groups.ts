// Reading a stream as a consumer group. A new group starts every shard at its start position, recorded at
// once (LATEST as the concrete sequence number it means now), so a group that read nothing still
// resumes from the same place; a child shard appearing later starts at its first record. Shards are read
// in lineage order: a parent to its end (then checkpointed SHARD_END) before its children.
import { isMqError } from './errors.js';
import { positionAfterCheckpoint, startCheckpoint } from './checkpoints.js';
import { groupStartFor, isFinished, readyShards } from './lineage.js';
import type { StreamStore } from './stream-store.js';
import type { Checkpoint, ShardInfo, StreamPosition, StreamRecord } from './stream-types.js';
import { type ShardCursor, readMerged } from './stream-reader.js';

export async function groupCheckpoints(store: StreamStore, stream: string, group: string): Promise<Record<string, Checkpoint>> {
  try {
    return await store.checkpoints(stream, group);
  } catch (error) {
    if (!isMqError(error, 'GROUP_NOT_FOUND')) throw error;
    return {};
  }
}

// Records a start checkpoint for each of `shards` the group has none for (first writer wins, so workers
// starting together agree), and returns the group's checkpoints.
export async function startGroup(
  store: StreamStore, stream: string, group: string, shards: ShardInfo[], start: StreamPosition,
): Promise<Record<string, Checkpoint>> {
  const checkpoints = await groupCheckpoints(store, stream, group);
  const groupIsNew = Object.keys(checkpoints).length === 0;
  const starts: Record<string, Checkpoint> = {};
  for (const shard of shards) {
    if (checkpoints[shard.shardId]) continue;
    const position = groupStartFor(shard, groupIsNew, start);
    let checkpoint = startCheckpoint(position);
    if (!checkpoint && position.type === 'latest') {
      const { next } = await store.read(stream, shard.shardId, position, { limit: 1 });
      if (next.type === 'after-sequence') checkpoint = { sequence: next.sequence };
    }
    if (checkpoint) starts[shard.shardId] = checkpoint;
  }
  return Object.keys(starts).length > 0 ? store.initCheckpoints(stream, group, starts) : checkpoints;
}

// Where the group reads a shard next: after its checkpoint, or (none recorded: a start that has no
// checkpoint form, such as at:SEQ) where it starts; null once the shard is finished.
export function groupPosition(shard: ShardInfo, checkpoint: Checkpoint | undefined, start: StreamPosition): StreamPosition | null {
  return checkpoint ? positionAfterCheckpoint(checkpoint) : groupStartFor(shard, false, start);
}

// Cursors for the group in the given shards (by id), lineage not considered: the group's view of them.
export async function openGroupCursors(
  store: StreamStore, stream: string, group: string, shardIds: string[], start: StreamPosition,
): Promise<ShardCursor[]> {
  const shards = (await store.get(stream)).shards.filter((s) => shardIds.includes(s.shardId));
  const checkpoints = await startGroup(store, stream, group, shards, start);
  return shards.flatMap((shard) => {
    const position = groupPosition(shard, checkpoints[shard.shardId], start);
    return position ? [{ shardId: shard.shardId, position }] : [];
  });
}

export interface GroupReadOptions {
  start: StreamPosition;
  // Read only this shard (lineage not considered).
  shardId?: string;
  dataAs?: 'string' | 'bytes';
}

// Reads everything the group has not read, in lineage order, as merged batches. The caller handles and
// checkpoints each batch before asking for the next; once every shard it could read is read to its end,
// the closed ones among them are checkpointed SHARD_END and their children read in turn.
export function readGroup(store: StreamStore, stream: string, group: string, options: GroupReadOptions & { dataAs?: 'string' }): AsyncGenerator<StreamRecord[]>;
export function readGroup(store: StreamStore, stream: string, group: string, options: GroupReadOptions & { dataAs: 'bytes' }): AsyncGenerator<StreamRecord<Uint8Array>[]>;
export async function* readGroup(store: StreamStore, stream: string, group: string, options: GroupReadOptions): AsyncGenerator<StreamRecord<string | Uint8Array>[]> {
  // Positions reached in earlier passes, so a caller that does not checkpoint still moves on.
  const reached = new Map<string, StreamPosition>();
  const endedBefore = new Set<string>();
  for (;;) {
    let shards = (await store.get(stream)).shards;
    if (options.shardId !== undefined) shards = shards.filter((s) => s.shardId === options.shardId);
    const checkpoints = await startGroup(store, stream, group, shards, options.start);
    const ready = options.shardId !== undefined ? shards.filter((s) => !isFinished(checkpoints[s.shardId])) : readyShards(shards, checkpoints);
    const cursors = ready.flatMap((shard): ShardCursor[] => {
      const position = reached.get(shard.shardId) ?? groupPosition(shard, checkpoints[shard.shardId], options.start);
      return position ? [{ shardId: shard.shardId, position }] : [];
    });
    for await (const batch of readMerged(store, stream, cursors, { dataAs: options.dataAs } as { dataAs: 'bytes' })) yield batch;
    for (const cursor of cursors) reached.set(cursor.shardId, cursor.position);
    // Only shards that ended in this pass can have made children ready.
    const ended = cursors.filter((cursor) => cursor.ended && !endedBefore.has(cursor.shardId));
    for (const cursor of ended) {
      endedBefore.add(cursor.shardId);
      await store.setCheckpoint(stream, group, cursor.shardId, { sentinel: 'SHARD_END' });
    }
    if (ended.length === 0 || options.shardId !== undefined) return;
  }
}

// readGroup, again each time records may have arrived (or once a second), until `signal` aborts.
export async function* followGroup(
  store: StreamStore, stream: string, group: string, options: GroupReadOptions, signal: AbortSignal,
): AsyncGenerator<StreamRecord<string | Uint8Array>[]> {
  const watcher = await store.watch(stream);
  try {
    while (!signal.aborted) {
      let any = false;
      for await (const batch of readGroup(store, stream, group, options as GroupReadOptions & { dataAs: 'bytes' })) {
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
