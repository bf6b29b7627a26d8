// What a new user meets first, through the built binary: a read never creates a store or a directory,
// a name not found says which store was searched, a conflicting create names its flags with both values,
// and durations may be compound.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

// Commands that find what they name: on a store that is not there, exit 3 naming the store.
const FINDING: string[][] = [
  ['receive', 'jobs'], ['receive', 'jobs', '--wait', '1s'], ['stats', 'jobs'], ['peek', 'jobs'], ['send', 'jobs', 'x'],
  ['ack', 'jobs', 'am9icy8x'], ['nack', 'jobs', 'am9icy8x'], ['extend', 'jobs', 'am9icy8x', '1m'], ['purge', 'jobs'], ['rm', 'jobs'],
  ['set', 'jobs', '--delay', '1s'], ['redrive', 'jobs'], ['work', 'jobs', '--until-empty', '--', 'true'],
  ['tail', 'ev'], ['tail', 'ev', '--group', 'g'], ['replay', 'ev', '--from', '-1h'], ['shards', 'ev'], ['groups', 'ev'],
  ['put', 'ev', 'x'], ['split', 'ev', '0'], ['merge', 'ev', '0', '1'], ['reshard', 'ev', '--shards', '2'],
  ['retention', 'ev', '48h'], ['rm-stream', 'ev'], ['consume', 'ev', '--group', 'g', '--', 'true'],
];

// Commands that list: on a store that is not there, nothing, exit 0.
const LISTING: string[][] = [['ls'], ['ls', '--json'], ['top', '--frames', '1'], ['__complete', 'queues'], ['stats', '--watch', 'jobs']];

describe('a store that is not there', () => {
  it.each(FINDING.map((args) => [args.join(' '), args]))('mq %s exits 3 naming the store, and creates nothing', async (_name, args) => {
    const parent = tempHome();
    const home = path.join(parent, 'missing', 'mq');
    const kind = args[1] === 'ev' ? 'stream "ev"' : 'queue "jobs"';
    expectRun(await runMq(args, { home }), 3, '', `mq: ${kind} does not exist in ${home} (no store there)\n`);
    expect(listTree(parent)).toEqual([]);
  });

  it('says so in a JSON error too, with the store in its own field', async () => {
    const home = path.join(tempHome(), 'missing');
    const result = await runMq(['--json', 'receive', 'jobs'], { home });
    expectRun(result, 3, '', /^\{"error"/);
    expect(JSON.parse(result.stderr)).toEqual({
      error: { code: 'QUEUE_NOT_FOUND', message: `queue "jobs" does not exist in ${home} (no store there)`, store: home },
    });
  });

  it.each(LISTING.filter((args) => args[0] !== 'stats').map((args) => [args.join(' '), args]))('mq %s prints nothing much and creates nothing', async (_name, args) => {
    const parent = tempHome();
    const home = path.join(parent, 'missing', 'mq');
    const result = await runMq(args, { home });
    expectRun(result, 0, args[0] === 'top' ? /^(mq top .*\n\n)?$/ : '', '');
    expect(listTree(parent)).toEqual([]);
  });

  it('is created, private, by the first create', async () => {
    const parent = tempHome();
    const home = path.join(parent, 'missing', 'mq');
    expectRun(await runMq(['create-stream', 'ev'], { home }), 0);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expectRun(await runMq(['ls', '--json'], { home }), 0, /"kind":"stream","name":"ev"/);
  });
});

describe('a store that is there, without the name asked for', () => {
  it('names the store searched and leaves it as it was', async () => {
    const home = tempHome();
    expectRun(await runMq(['create', 'other'], { home }), 0);
    const before = listTree(home);
    for (const args of FINDING) {
      const kind = args[1] === 'ev' ? 'stream "ev"' : 'queue "jobs"';
      expectRun(await runMq(args, { home }), 3, '', `mq: ${kind} does not exist in ${home}\n`);
    }
    expect(listTree(home)).toEqual(before);
  });

  it('names the store in a missing shard or group', async () => {
    const home = tempHome();
    expectRun(await runMq(['create-stream', 'ev'], { home }), 0);
    expectRun(await runMq(['tail', 'ev', '--shard', '4'], { home }), 3, '', `mq: stream "ev" has no shard shardId-000000000004 (in ${home})\n`);
    expectRun(await runMq(['groups', 'ev', 'g'], { home }), 3, '', `mq: consumer group "g" of stream "ev" does not exist in ${home}\n`);
  });
});

describe('a create that conflicts', () => {
  it('names each differing attribute as its flag, with both values in the units a user types', async () => {
    const home = tempHome();
    const mq = (args: string[]) => runMq(args, { home });
    expectRun(await mq(['create', 'dead']), 0);
    expectRun(await mq(['create', 'jobs', '--visibility-timeout', '30s', '--max-size', '256KiB']), 0);
    expectRun(await mq(['create', 'jobs', '--visibility-timeout', '60s']), 4, '',
      'mq: queue "jobs" exists with different attributes: --visibility-timeout is 30s, not 1m\n');
    expectRun(await mq(['create', 'jobs', '--max-size', '1MiB', '--delay', '1m30s', '--durability', 'none']), 4, '',
      'mq: queue "jobs" exists with different attributes: --delay is 0s, not 90s; --max-size is 256KiB, not 1MiB; --durability is fsync, not none\n');
    expectRun(await mq(['create', 'jobs', '--dlq', 'dead', '--max-receives', '3']), 4, '', 'mq: queue "jobs" exists with different attributes: --dlq is none, not dead\n');
    expectRun(await mq(['set', 'jobs', '--dlq', 'dead', '--max-receives', '3']), 0);
    expectRun(await mq(['create', 'jobs', '--dlq', 'dead', '--max-receives', '5']), 4, '', 'mq: queue "jobs" exists with different attributes: --max-receives is 3, not 5\n');
    expectRun(await mq(['create', 'orders.fifo', '--dedup-scope', 'group']), 0);
    expectRun(await mq(['create', 'orders.fifo', '--dedup-scope', 'queue', '--content-dedup']), 4, '',
      'mq: queue "orders.fifo" exists with different attributes: --content-dedup is off, not on; --dedup-scope is group, not queue\n');
    expectRun(await mq(['create-stream', 'ev', '--shards', '2', '--retention', '2d']), 0);
    expectRun(await mq(['create-stream', 'ev', '--shards', '3', '--retention', '36h', '--max-record-size', '2MiB']), 4, '',
      'mq: stream "ev" exists with different attributes: --shards is 2, not 3; --retention is 48h, not 36h; --max-record-size is 1MiB, not 2MiB\n');
    const json = await mq(['--json', 'create', 'jobs', '--retention', '1h']);
    expectRun(json, 4, '', /^\{"error"/);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'ALREADY_EXISTS', message: 'queue "jobs" exists with different attributes: --retention is 4d, not 1h', store: home },
    });
  });
});

describe('compound durations', () => {
  it('are taken wherever a duration is', async () => {
    const home = tempHome();
    const mq = (args: string[]) => runMq(args, { home });
    expectRun(await mq(['create', 'jobs', '--visibility-timeout', '1h30m', '--retention', '2d12h']), 0);
    expect(jsonLines((await mq(['stats', 'jobs', '--json'])).stdout)[0]).toMatchObject({ visibilityTimeoutSeconds: 5400, retentionSeconds: 216_000 });
    expectRun(await mq(['send', 'jobs', 'x']), 0);
    const [message] = jsonLines((await mq(['receive', 'jobs', '--wait', '1s500ms', '--visibility-timeout', '1m41s'])).stdout);
    expectRun(await mq(['extend', 'jobs', String(message!.receipt), '2h15m']), 0, '', '');
    expectRun(await mq(['receive', 'jobs', '--wait', '1h30m']), 2, '', /receive wait must be between 0s and 20s, got 90m/);
    expectRun(await mq(['create', 'jobs', '--delay', '30s5m']), 2, '', /invalid duration "30s5m"/);
  });
});
