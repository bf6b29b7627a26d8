// The stream commands through the built binary, as a shell script would run them: output, exit codes,
// --json, error lines and stdin handling.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { scanStore } from '../helpers/segment-check.js';
import { tempHome } from '../helpers/tmp-home.js';

let home: string;
const mq = (args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) => runMq(args, { home, ...options });
const SEQ = /\d{33}/;
const PUT_LINE = /^shardId-\d{12} \d{33}$/;

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

beforeEach(() => {
  home = tempHome();
});

describe('mq stream commands', () => {
  it('creates a stream, puts stdin lines, and tails the last ones', async () => {
    expectRun(await mq(['create-stream', 'logs']), 0, '');
    const put = await mq(['put', 'logs'], { input: 'one\ntwo\nthree\n' });
    expectRun(put, 0);
    expect(lines(put.stdout)).toHaveLength(3);
    for (const line of lines(put.stdout)) expect(line).toMatch(PUT_LINE);
    expectRun(await mq(['tail', 'logs', '-n', '2']), 0, 'two\nthree\n');
    expectRun(await mq(['tail', 'logs']), 0, 'one\ntwo\nthree\n');
  });

  it('prints put results in input order, as JSON with --json, increasing within each shard', async () => {
    await mq(['create-stream', 'ev', '--shards', '3']);
    const put = await mq(['put', 'ev', '--json'], { input: Array.from({ length: 30 }, (_, i) => `r${i}`).join('\n') });
    expectRun(put, 0);
    const results = jsonLines<{ shard: string; sequence: string }>(put.stdout);
    expect(results).toHaveLength(30);
    const tail = jsonLines<{ shard: string; sequence: string; data: string }>((await mq(['tail', 'ev', '--from', 'trim-horizon', '--json'])).stdout);
    const bySequence = new Map(tail.map((r) => [r.sequence, r.data]));
    results.forEach((r, i) => expect(bySequence.get(r.sequence)).toBe(`r${i}`));
    const last = new Map<string, string>();
    for (const r of results) {
      expect(r.sequence > (last.get(r.shard) ?? '')).toBe(true);
      last.set(r.shard, r.sequence);
    }
  });

  it('takes records from arguments with a partition key or an explicit hash key, all checked before any is stored', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    const keyed = await mq(['put', 'ev', 'a', 'b', '--partition-key', 'user-1']);
    expectRun(keyed, 0);
    expect(new Set(lines(keyed.stdout).map((l) => l.split(' ')[0])).size).toBe(1);
    expectRun(await mq(['put', 'ev', 'z', '--explicit-hash-key', '340282366920938463463374607431768211455']), 0, /^shardId-000000000001 \d{33}\n$/);
    expectRun(await mq(['put', 'ev', 'x', 'y', '--partition-key', '']), 2, '', /^mq: record 1: partition key is empty\n$/);
    expectRun(await mq(['put', 'ev', 'x', '--explicit-hash-key', '-1']), 2, '', /invalid explicit hash key "-1"/);
    expectRun(await mq(['tail', 'ev', '--from', 'trim-horizon']), 0, /^(a\nb\nz|z\na\nb)\n$/);
  });

  it('keys each JSON line by --key-field, reporting lines without the field and storing the others (exit 2)', async () => {
    await mq(['create-stream', 'ev', '--shards', '4']);
    const input = '{"user":{"id":7},"n":1}\nnot json\n{"user":{"id":7},"n":2}\n{"user":{}}\n';
    const put = await mq(['put', 'ev', '--key-field', 'user.id'], { input });
    expectRun(put, 2, undefined, /^mq: line 2: not a JSON line, so it has no field "user.id"\nmq: line 4: no field "user.id"\n$/);
    const results = lines(put.stdout).map((line) => line.split(' ')[0]);
    expect(results).toHaveLength(2);
    expect(results[0]).toBe(results[1]);
    const json = await mq(['put', 'ev', '--key-field', 'user.id', '--json'], { input: 'nope\n' });
    expectRun(json, 2, '', /^\{"error":\{"code":"INVALID_ARGUMENT","message":"line 1: not a JSON line, so it has no field \\"user.id\\"","store":"[^"]+"\}\}\n$/);
    const records = jsonLines<{ partitionKey: string; data: string }>((await mq(['tail', 'ev', '--json'])).stdout);
    expect(records.map((r) => [r.partitionKey, JSON.parse(r.data).n])).toEqual([['7', 1], ['7', 2]]);
    expectRun(await mq(['put', 'ev', 'x', '--key-field', 'a', '--partition-key', 'b']), 2, '', /cannot be used together/);
  });

  it('handles --key-field on JSON nested 50,000 to 1,000,000 deep and on a 20 MB line: exit 2 for what has no key, no partial record', async () => {
    await mq(['create-stream', 'ev', '--max-record-size', '10MiB']);
    const deep = (levels: number, leaf: string) => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
    // A path of 50,000 fields (an argument may not exceed 128 KiB).
    const path50k = Array.from({ length: 50_000 }, () => 'a').join('.');
    const input = [
      deep(100_000, '"k"'), // the key 100,000 levels down: found
      `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, // no object at all
      deep(1_000_000, '1'), // "a" is an object, not a key
      `{"a":"big","pad":"${'x'.repeat(20 * 1024 * 1024)}"}`, // over 10 MiB
      '{"a":"last"}',
    ].join('\n');
    const put = await mq(['put', 'ev', '--key-field', 'a'], { input: `${input}\n` });
    expectRun(put, 2, undefined, /^mq: line 1: field "a" is not a string or a number\nmq: line 2: no field "a"\nmq: line 3: field "a" is not a string or a number\nmq: line 4: longer than 10485760 bytes\n$/);
    expect(lines(put.stdout)).toHaveLength(1);
    const deepKey = await mq(['put', 'ev', '--key-field', path50k], { input: `${deep(50_000, '"k"')}\n` });
    expectRun(deepKey, 0, /^shardId-\d{12} \d{33}\n$/);
    const records = jsonLines<{ partitionKey: string; data: string }>((await mq(['tail', 'ev', '--json', '-n', '10'])).stdout);
    expect(records.map((r) => [r.partitionKey, r.data.length])).toEqual([['last', 12], ['k', deep(50_000, '"k"').length]]);
    expect(scanStore(home).problems).toEqual([]);
  });

  it('reports invalid UTF-8 and over-long stdin lines by number and stores the rest', async () => {
    await mq(['create-stream', 'ev']);
    const input = Buffer.concat([Buffer.from('ok1\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${'x'.repeat(1024 * 1024 + 1)}\nok2\n`)]);
    const put = await mq(['put', 'ev'], { input });
    expectRun(put, 2, undefined, /^mq: line 2: record data is not valid UTF-8\nmq: line 3: longer than 1048576 bytes\n$/);
    expect(lines(put.stdout)).toHaveLength(2);
    expectRun(await mq(['tail', 'ev']), 0, 'ok1\nok2\n');
  });

  it('prints tail --json records as {shard, sequence, arrivedAt, partitionKey, data}, the data exactly as put', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev', 'multi\nline "quoted"', '--partition-key', 'k1']);
    const [record] = jsonLines((await mq(['tail', 'ev', '--json'])).stdout);
    expect(record).toEqual({
      shard: 'shardId-000000000000', sequence: '100000000000000000000000000000001',
      arrivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), partitionKey: 'k1', data: 'multi\nline "quoted"',
    });
  });

  it('reads from trim-horizon, latest, at:SEQ, after:SEQ and a time, one shard or all, with -n', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    const put = lines((await mq(['put', 'ev', '--explicit-hash-key', '0'], { input: 'a\nb\nc\nd\n' })).stdout);
    const seqB = put[1]!.split(' ')[1]!;
    expectRun(await mq(['tail', 'ev', '--from', 'trim-horizon', '-n', '2']), 0, 'a\nb\n');
    expectRun(await mq(['tail', 'ev', '--from', 'latest']), 0, '');
    expectRun(await mq(['tail', 'ev', '--from', `at:${seqB}`]), 0, 'b\nc\nd\n');
    expectRun(await mq(['tail', 'ev', '--from', `after:${seqB}`, '--shard', '0']), 0, 'c\nd\n');
    expectRun(await mq(['tail', 'ev', '--from', '-1h']), 0, 'a\nb\nc\nd\n');
    expectRun(await mq(['tail', 'ev', '--from', new Date(Date.now() - 3_600_000).toISOString(), '--shard', 'shardId-000000000001']), 0, '');
    expectRun(await mq(['tail', 'ev', '--from', `at:${seqB}`, '--shard', '1']), 2, '', /belongs to shardId-000000000000, not shardId-000000000001/);
    expectRun(await mq(['tail', 'ev', '--from', String(Date.now() + 3_600_000)]), 2, '', /is in the future/);
    expectRun(await mq(['tail', 'ev', '--from', 'yesterday']), 2, '', /invalid --from "yesterday"/);
  });

  it('replays a time window across shards in arrival order', async () => {
    await mq(['create-stream', 'ev', '--shards', '3']);
    await mq(['put', 'ev'], { input: 'early\n' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const middle = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await mq(['put', 'ev'], { input: 'late1\nlate2\n' });
    expectRun(await mq(['replay', 'ev', '--from', '-1h']), 0, /^early\n(late1\nlate2|late2\nlate1)\n$/);
    expectRun(await mq(['replay', 'ev', '--from', '-1h', '--to', String(middle)]), 0, 'early\n');
    expectRun(await mq(['replay', 'ev', '--from', String(middle), '--json']), 0, /"data":"late/);
    expectRun(await mq(['replay', 'ev']), 2, '', /required option '--from <time>' not specified/);
    expectRun(await mq(['replay', 'ev', '--from', '-1m', '--to', '-2m']), 2, '', /--to is before --from/);
  });

  it('lists shards as a table and as exactly the ListShards objects with --json', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    await mq(['put', 'ev', 'x', '--explicit-hash-key', '0']);
    const table = await mq(['shards', 'ev']);
    expectRun(table, 0, /^SHARD +STATE +PARENTS +HASH KEYS +FIRST +LAST +RECORDS +BYTES\nshardId-000000000000 +open +- +0\.\.170141183460469231731687303715884105727 +\d{33} +\d{33} +1 +\d+\n/);
    const shards = jsonLines((await mq(['shards', 'ev', '--json'])).stdout);
    expect(shards).toEqual([
      {
        shardId: 'shardId-000000000000', state: 'open',
        hashKeyRange: { startingHashKey: '0', endingHashKey: '170141183460469231731687303715884105727' },
        sequenceNumberRange: { startingSequenceNumber: '100000000000000000000000000000001' }, records: 1, bytes: expect.any(Number),
      },
      {
        shardId: 'shardId-000000000001', state: 'open',
        hashKeyRange: { startingHashKey: '170141183460469231731687303715884105728', endingHashKey: '340282366920938463463374607431768211455' },
        sequenceNumberRange: { startingSequenceNumber: '100000000000100000000000000000001' }, records: 0, bytes: 0,
      },
    ]);
  });

  it('reads as a consumer group: resumes after its checkpoints, and shows checkpoints and lag', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev'], { input: 'a\nb\nc\n' });
    expectRun(await mq(['tail', 'ev', '--group', 'g']), 0, '');
    await mq(['put', 'ev'], { input: 'd\ne\n' });
    expectRun(await mq(['tail', 'ev', '--group', 'g', '-n', '1']), 0, 'd\n');
    expectRun(await mq(['tail', 'ev', '--group', 'g']), 0, 'e\n');
    expectRun(await mq(['tail', 'ev', '--group', 'g']), 0, '');
    expectRun(await mq(['tail', 'ev', '--group', 'all', '--from', 'trim-horizon', '-n', '4']), 0, 'a\nb\nc\nd\n');
    const groups = jsonLines((await mq(['groups', 'ev', '--json'])).stdout);
    expect(groups).toEqual([
      { group: 'all', shardId: 'shardId-000000000000', checkpoint: expect.stringMatching(SEQ), lagRecords: 1, lagMs: expect.any(Number) },
      { group: 'g', shardId: 'shardId-000000000000', checkpoint: '100000000000000000000000000000005', lagRecords: 0, lagMs: 0 },
    ]);
    expectRun(await mq(['groups', 'ev']), 0, /^GROUP +SHARD +CHECKPOINT +LAG RECORDS +LAG +LEASE OWNER\nall +shardId-000000000000 +\d{33} +1 +[\d.]+s +-\ng /);
    expectRun(await mq(['groups', 'ev', 'nobody']), 3, '', `mq: consumer group "nobody" of stream "ev" does not exist in ${home}\n`);
    expectRun(await mq(['tail', 'ev', '--group', 'bad/name']), 2, '', /invalid consumer group name/);
  });

  it('changes retention within 24h..8760h, and reports out-of-range requests with exit 2', async () => {
    await mq(['create-stream', 'ev']);
    expectRun(await mq(['retention', 'ev', '7d']), 0, '');
    expectRun(await mq(['retention', 'ev', '48h', '--json']), 0, /"retentionHours":48/);
    expectRun(await mq(['retention', 'ev', '12h']), 2, '', /^mq: cannot decrease retention to 12h: the minimum is 24h\n$/);
    expectRun(await mq(['retention', 'ev', '8761h']), 2, '', /cannot increase retention to 8761h/);
  });

  it('lists streams in mq ls beside queues, and removes them', async () => {
    await mq(['create', 'jobs']);
    await mq(['create-stream', 'ev', '--shards', '2', '--retention', '48h', '--durability', 'none']);
    await mq(['put', 'ev', 'x']);
    const listed = jsonLines((await mq(['ls', '--json'])).stdout);
    expect(listed.map((r) => [r.kind, r.name])).toEqual([['queue', 'jobs'], ['stream', 'ev']]);
    expect(listed[1]).toMatchObject({ shards: 2, openShards: 2, records: 1, retentionHours: 48, durability: 'none', status: 'active', encryption: 'none' });
    expectRun(await mq(['ls']), 0, /STREAM +SHARDS +RECORDS +BYTES +RETENTION +MAX RECORD +DURABILITY\nev +2 +1 +\d+ +48h +1MiB +none\n$/);
    expectRun(await mq(['rm-stream', 'ev']), 0, '', '');
    expect(jsonLines((await mq(['ls', '--json'])).stdout).map((r) => r.kind)).toEqual(['queue']);
  });

  it('exits 3 for a missing stream or shard and 4 for a conflicting create, with one error line (JSON with --json)', async () => {
    expectRun(await mq(['put', 'nope', 'x']), 3, '', `mq: stream "nope" does not exist in ${home}\n`);
    expectRun(await mq(['tail', 'nope']), 3, '', `mq: stream "nope" does not exist in ${home}\n`);
    expectRun(await mq(['rm-stream', 'nope', '--json']), 3, '', `${JSON.stringify({ error: { code: 'STREAM_NOT_FOUND', message: `stream "nope" does not exist in ${home}`, store: home } })}\n`);
    await mq(['create-stream', 'ev']);
    expectRun(await mq(['tail', 'ev', '--shard', '5']), 3, '', `mq: stream "ev" has no shard shardId-000000000005 (in ${home})\n`);
    expectRun(await mq(['tail', 'ev', '--shard', 'five']), 2, '', /invalid shard id "five"/);
    expectRun(await mq(['create-stream', 'ev']), 0, '');
    expectRun(await mq(['create-stream', 'ev', '--shards', '2']), 4, '', 'mq: stream "ev" exists with different attributes: --shards is 1, not 2\n');
    expectRun(await mq(['create-stream', 'bad/name']), 2, '', /invalid stream name/);
    expectRun(await mq(['create-stream', 'x', '--shards', '0']), 2, '', /count must be between 1 and 1000/);
    expectRun(await mq(['create-stream', 'x', '--max-record-size', '11MiB']), 2, '', /maximum record size must be between 1MiB and 10MiB/);
  });

  it('prints help with examples for the stream commands', async () => {
    for (const command of ['create-stream', 'put', 'tail', 'replay', 'shards', 'groups', 'retention', 'rm-stream']) {
      expectRun(await mq([command, '--help']), 0, /Example/);
    }
    expectRun(await mq(['--help']), 0, /put \[options\] <stream> \[data\.\.\.\]/);
  });
});
