import { describe, expect, it } from 'vitest';
import { checkpointLabel, compareCheckpoints, positionAfterCheckpoint, startCheckpoint } from '../../src/core/checkpoints.js';
import type { Checkpoint } from '../../src/core/stream-types.js';

const seq = (n: number) => ({ sequence: `1000000000000${String(n).padStart(20, '0')}` });

describe('checkpoints', () => {
  it('sort the start sentinels below every sequence number and SHARD_END above all', () => {
    const ordered: Checkpoint[] = [
      { sentinel: 'TRIM_HORIZON' }, seq(0), seq(1), seq(10), seq(2 ** 40), { sentinel: 'SHARD_END' },
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(compareCheckpoints(ordered[i]!, ordered[j]!)).toBe(Math.sign(i - j));
      }
    }
    for (const low of [{ sentinel: 'LATEST' }, { sentinel: 'AT_TIMESTAMP', timestamp: 5 }] as Checkpoint[]) {
      expect(compareCheckpoints(low, seq(0))).toBe(-1);
      expect(compareCheckpoints(low, { sentinel: 'TRIM_HORIZON' })).toBe(0);
      expect(compareCheckpoints({ sentinel: 'SHARD_END' }, low)).toBe(1);
    }
  });

  it('resume after the checkpointed record, at a start sentinel, or nowhere after SHARD_END', () => {
    expect(positionAfterCheckpoint(seq(4))).toEqual({ type: 'after-sequence', sequence: seq(4).sequence });
    expect(positionAfterCheckpoint({ sentinel: 'TRIM_HORIZON' })).toEqual({ type: 'trim-horizon' });
    expect(positionAfterCheckpoint({ sentinel: 'LATEST' })).toEqual({ type: 'latest' });
    expect(positionAfterCheckpoint({ sentinel: 'AT_TIMESTAMP', timestamp: 9 })).toEqual({ type: 'at-timestamp', timestamp: 9 });
    expect(positionAfterCheckpoint({ sentinel: 'SHARD_END' })).toBeNull();
  });

  it('record a start as a sentinel only where the position does not move with time', () => {
    expect(startCheckpoint({ type: 'trim-horizon' })).toEqual({ sentinel: 'TRIM_HORIZON' });
    expect(startCheckpoint({ type: 'at-timestamp', timestamp: 3 })).toEqual({ sentinel: 'AT_TIMESTAMP', timestamp: 3 });
    expect(startCheckpoint({ type: 'after-sequence', sequence: seq(3).sequence })).toEqual(seq(3));
    expect(startCheckpoint({ type: 'latest' })).toBeNull();
    expect(startCheckpoint({ type: 'at-sequence', sequence: seq(3).sequence })).toBeNull();
    expect(checkpointLabel(seq(3))).toBe(seq(3).sequence);
    expect(checkpointLabel({ sentinel: 'SHARD_END' })).toBe('SHARD_END');
  });
});
