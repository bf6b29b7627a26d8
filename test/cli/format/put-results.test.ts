import { describe, expect, it } from 'vitest';
import { PutResultFormatter } from '../../../src/cli/format/put-results.js';
import { formatShardId } from '../../../src/core/shard-ids.js';
import { formatSequence } from '../../../src/core/sequence-numbers.js';
import type { MqError } from '../../../src/core/errors.js';
import type { PutLinesResult } from '../../../src/core/stream-types.js';

const resultOf = (stored: [number, number][]): PutLinesResult => ({
  count: stored.length,
  shards: Int32Array.from(stored.map(([shard]) => shard)),
  counters: Float64Array.from(stored.map(([, counter]) => counter)),
  errors: new Map<number, MqError>(),
});

describe('result lines of mq put', () => {
  // Counters that carry over digits, jump, go back to another shard, and lines refused (-1) or left out (-2).
  const batches: [number, number][][] = [
    [[0, 1], [0, 2], [3, 9], [0, 3], [-1, 0], [3, 10], [3, 11], [-2, 0]],
    [[0, 99], [0, 100], [12, 999_999], [12, 1_000_000], [0, 101], [0, 5], [3, 12]],
    [[0, 9_007_199_254_740_991], [3, 99_999_999_999]],
  ];
  const expectedText = (stored: [number, number][], json: boolean) =>
    stored
      .filter(([shard]) => shard >= 0)
      .map(([shard, counter]) => {
        const shardId = formatShardId(shard);
        const sequence = formatSequence(shard, counter);
        return json ? `${JSON.stringify({ shard: shardId, sequence })}\n` : `${shardId} ${sequence}\n`;
      })
      .join('');

  for (const json of [false, true]) {
    it(`formats one line per stored record, in order, batch after batch${json ? ' (--json)' : ''}`, () => {
      const formatter = new PutResultFormatter(json);
      for (const stored of batches) expect(formatter.format(resultOf(stored)).toString('latin1')).toBe(expectedText(stored, json));
    });
  }

  it('formats an empty batch as nothing', () => {
    expect(new PutResultFormatter(false).format(resultOf([[-1, 0]])).length).toBe(0);
  });
});
