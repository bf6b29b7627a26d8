// Where a consumer group reads each shard: after its checkpoint, or, for a shard it has never read, at
// its start position. That start is recorded at once (LATEST as the concrete sequence number it means
// now), so a group that read nothing still resumes from the same place next time.
import { isMqError } from './errors.js';
import { positionAfterCheckpoint, startCheckpoint } from './checkpoints.js';
import type { StreamStore } from './stream-store.js';
import type { Checkpoint, StreamPosition } from './stream-types.js';
import type { ShardCursor } from './stream-reader.js';

export async function openGroupCursors(
  store: StreamStore,
  stream: string,
  group: string,
  shardIds: string[],
  start: StreamPosition,
): Promise<ShardCursor[]> {
  let checkpoints: Record<string, Checkpoint> = {};
  try {
    checkpoints = await store.checkpoints(stream, group);
  } catch (error) {
    if (!isMqError(error, 'GROUP_NOT_FOUND')) throw error;
  }
  const cursors: ShardCursor[] = [];
  for (const shardId of shardIds) {
    const existing = checkpoints[shardId];
    if (existing) {
      const position = positionAfterCheckpoint(existing);
      if (position) cursors.push({ shardId, position });
      continue;
    }
    let checkpoint = startCheckpoint(start);
    if (!checkpoint && start.type === 'latest') {
      const { next } = await store.read(stream, shardId, start, { limit: 1 });
      if (next.type === 'after-sequence') checkpoint = { sequence: next.sequence };
    }
    if (checkpoint) await store.setCheckpoint(stream, group, shardId, checkpoint);
    cursors.push({ shardId, position: checkpoint ? positionAfterCheckpoint(checkpoint)! : start });
  }
  return cursors;
}
