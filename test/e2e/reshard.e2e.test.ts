// mq split, merge and reshard through the built binary: output, --json, exit codes and error lines, and
// what tail and tail --group show across a reshard.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectRun, jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import { waitFor } from '../helpers/consume.js';

let home: string;
const mq = (args: string[], options: { input?: string } = {}) => runMq(args, { home, ...options });
const S = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const MAX = '340282366920938463463374607431768211455';

beforeEach(() => {
  home = tempHome();
});

describe('mq split, merge, reshard', () => {
  it('splits a shard, printing the children (ids, or ListShards objects with --json)', async () => {
    await mq(['create-stream', 'ev']);
    expectRun(await mq(['split', 'ev', '0']), 0, `${S(1)}\n${S(2)}\n`);
    const json = await mq(['split', 'ev', S(2), '--at', '255211775190703847597530955573826158592', '--json']);
    expectRun(json, 0);
    expect(jsonLines(json.stdout)).toEqual([
      {
        shardId: S(3), state: 'open', parentShardId: S(2),
        hashKeyRange: { startingHashKey: '170141183460469231731687303715884105728', endingHashKey: '255211775190703847597530955573826158591' },
        sequenceNumberRange: { startingSequenceNumber: '100000000000300000000000000000001' },
      },
      {
        shardId: S(4), state: 'open', parentShardId: S(2),
        hashKeyRange: { startingHashKey: '255211775190703847597530955573826158592', endingHashKey: MAX },
        sequenceNumberRange: { startingSequenceNumber: '100000000000400000000000000000001' },
      },
    ]);
  });

  it('exits 4 for a closed shard, 3 for a missing stream or shard, 2 for a key outside the range, with one error line', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    await mq(['split', 'ev', '0']);
    expectRun(await mq(['split', 'ev', '0']), 4, '', `mq: ${S(0)} of stream "ev" is closed: it was split or merged already\n`);
    expectRun(await mq(['merge', 'ev', '0', '1', '--json']), 4, '', /^\{"error":\{"code":"SHARD_CLOSED","message":"shardId-000000000000 of stream \\"ev\\" is closed: it was split or merged already","store":"[^"]+"\}\}\n$/);
    expectRun(await mq(['split', 'ev', '7']), 3, '', `mq: stream "ev" has no shard ${S(7)} (in ${home})\n`);
    expectRun(await mq(['split', 'nope', '0']), 3, '', `mq: stream "nope" does not exist in ${home}\n`);
    expectRun(await mq(['split', 'ev', '1', '--at', '1']), 2, '', /^mq: hash key 1 does not split shardId-000000000001: use a key from \d+ to \d+\n$/);
    expectRun(await mq(['split', 'ev', '1', '--at', 'x']), 2, '', /^mq: invalid hash key "x" to split at/);
    expectRun(await mq(['split', 'ev', 'one']), 2, '', /invalid shard id "one"/);
  });

  it('merges adjacent shards and refuses shards that are not adjacent (exit 2)', async () => {
    await mq(['create-stream', 'ev', '--shards', '3']);
    expectRun(await mq(['merge', 'ev', '0', '2']), 2, '', `mq: ${S(0)} and ${S(2)} cannot be merged: their hash key ranges are not adjacent\n`);
    expectRun(await mq(['merge', 'ev', '1', '2']), 0, `${S(3)}\n`);
    const [child] = jsonLines((await mq(['shards', 'ev', '--json'])).stdout).slice(-1);
    expect(child).toMatchObject({ shardId: S(3), state: 'open', parentShardId: S(1), adjacentParentShardId: S(2) });
  });

  it('reshards to N even shards, printing the open shards, and refuses counts outside half to twice', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    expectRun(await mq(['reshard', 'ev', '--shards', '4']), 0, `${S(2)}\n${S(3)}\n${S(4)}\n${S(5)}\n`);
    expectRun(await mq(['reshard', 'ev', '--shards', '4']), 0, `${S(2)}\n${S(3)}\n${S(4)}\n${S(5)}\n`);
    expectRun(await mq(['reshard', 'ev', '--shards', '9']), 2, '', 'mq: target shard count must be from 2 to 8 (half to twice the 4 open shards), got 9\n');
    expectRun(await mq(['reshard', 'ev']), 2, '', /required option '--shards <n>' not specified/);
    const json = jsonLines((await mq(['reshard', 'ev', '--shards', '3', '--json'])).stdout);
    expect(json.map((s) => s.state)).toEqual(['open', 'open', 'open']);
    const shards = jsonLines((await mq(['shards', 'ev', '--json'])).stdout);
    expect(shards.filter((s) => s.state === 'open')).toHaveLength(3);
    for (const closed of shards.filter((s) => s.state === 'closed')) {
      expect((closed.sequenceNumberRange as Record<string, string>).endingSequenceNumber).toMatch(/^\d{33}$/);
    }
    expectRun(await mq(['ls']), 0, /\nev +3 +0 /);
  });

  it('shows the closed parent and the children in tail, by arrival, and in lineage order through a group', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev', '--partition-key', 'k'], { input: 'a1\na2\n' });
    await mq(['put', 'ev', '--partition-key', 'j'], { input: 'b1\n' });
    await mq(['split', 'ev', '0']);
    await mq(['put', 'ev', '--partition-key', 'k'], { input: 'a3\n' });
    await mq(['put', 'ev', '--partition-key', 'j'], { input: 'b2\n' });
    await mq(['reshard', 'ev', '--shards', '1']);
    await mq(['put', 'ev', '--partition-key', 'k'], { input: 'a4\n' });
    expectRun(await mq(['tail', 'ev']), 0, 'a1\na2\nb1\na3\nb2\na4\n');
    expectRun(await mq(['tail', 'ev', '--from', 'trim-horizon', '-n', '4']), 0, 'a1\na2\nb1\na3\n');
    expectRun(await mq(['tail', 'ev', '--group', 'g', '--from', 'trim-horizon', '-n', '2']), 0, 'a1\na2\n');
    expectRun(await mq(['tail', 'ev', '--group', 'g']), 0, 'b1\na3\nb2\na4\n');
    const groups = jsonLines((await mq(['groups', 'ev', '--json'])).stdout);
    expect(groups.map((g) => [g.shardId, g.checkpoint === 'SHARD_END' ? 'end' : 'seq', g.lagRecords])).toEqual([
      [S(0), 'end', 0], [S(1), 'end', 0], [S(2), 'end', 0], [S(3), 'seq', 0],
    ]);
  });

  it('tail -f goes on with the children of a shard split while it follows, and --group -f after the parent', async () => {
    await mq(['create-stream', 'ev']);
    const followers = [spawnMq(['tail', 'ev', '-f'], { home }), spawnMq(['tail', 'ev', '-f', '--group', 'g'], { home })];
    const texts = ['', ''];
    followers.forEach((follower, i) => follower.stdout!.on('data', (chunk: Buffer) => (texts[i] += chunk.toString())));
    await waitFor(async () => jsonLines((await mq(['groups', 'ev', '--json'])).stdout).length === 1);
    await mq(['put', 'ev', 'before', '--partition-key', 'k']);
    await waitFor(() => texts.every((text) => text === 'before\n'), () => JSON.stringify(texts));
    await mq(['split', 'ev', '0']);
    await mq(['put', 'ev', 'after', '--partition-key', 'k']);
    await waitFor(() => texts.every((text) => text === 'before\nafter\n'), () => JSON.stringify(texts));
    for (const follower of followers) follower.kill('SIGINT');
    for (const follower of followers) expect((await follower).exitCode).toBe(130);
    expect(jsonLines((await mq(['groups', 'ev', '--json'])).stdout)[0]).toMatchObject({ shardId: S(0), checkpoint: 'SHARD_END' });
  });

  it('prints help with examples for split, merge, reshard and consume', async () => {
    for (const command of ['split', 'merge', 'reshard', 'consume']) expectRun(await mq([command, '--help']), 0, /Example/);
  });
});
