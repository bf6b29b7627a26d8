// Consumer-group checkpoints, as KCL orders them: the start sentinels (TRIM_HORIZON, LATEST,
// AT_TIMESTAMP) sort below every sequence number and SHARD_END above all. Pure.
import type { Checkpoint, StreamPosition } from './stream-types.js';

function rank(checkpoint: Checkpoint): number {
  if ('sequence' in checkpoint) return 1;
  return checkpoint.sentinel === 'SHARD_END' ? 2 : 0;
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return Math.sign(byRank);
  if ('sequence' in a && 'sequence' in b) return a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0;
  return 0;
}

// Where a group resumes in a shard: after the record it checkpointed, at its start sentinel, or nowhere
// (null) once the shard is finished.
export function positionAfterCheckpoint(checkpoint: Checkpoint): StreamPosition | null {
  if ('sequence' in checkpoint) return { type: 'after-sequence', sequence: checkpoint.sequence };
  switch (checkpoint.sentinel) {
    case 'TRIM_HORIZON':
      return { type: 'trim-horizon' };
    case 'LATEST':
      return { type: 'latest' };
    case 'AT_TIMESTAMP':
      return { type: 'at-timestamp', timestamp: checkpoint.timestamp };
    case 'SHARD_END':
      return null;
  }
}

// The checkpoint that stands for a start position before anything is read there, when one position
// does: LATEST moves with time (a new group records what it resolved to instead), and "at a sequence
// number" has no checkpoint before it.
export function startCheckpoint(position: StreamPosition): Checkpoint | null {
  switch (position.type) {
    case 'trim-horizon':
      return { sentinel: 'TRIM_HORIZON' };
    case 'at-timestamp':
      return { sentinel: 'AT_TIMESTAMP', timestamp: position.timestamp };
    case 'after-sequence':
      return { sequence: position.sequence };
    case 'at-sequence':
    case 'latest':
    case 'last':
      return null;
  }
}

// A checkpoint as one word: the sequence number or the sentinel's name.
export function checkpointLabel(checkpoint: Checkpoint): string {
  return 'sequence' in checkpoint ? checkpoint.sequence : checkpoint.sentinel;
}
