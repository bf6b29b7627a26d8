// mq consume through the built binary: the batch on the handler's stdin, its environment, checkpoints
// after success, retries of a failing batch, lineage order across a reshard, SIGTERM, and exit statuses.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeRun, expectRun, jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import { type HandlerRun, handlerRuns, waitFor } from '../helpers/consume.js';

const HANDLER = path.resolve('test/fixtures/batch-handler.mjs');
const S = (n: number) => `shardId-${String(n).padStart(12, '0')}`;

let home: string;
let log: string;
const mq = (args: string[], options: { input?: string } = {}) => runMq(args, { home, ...options });
const consume = (group: string, extra: string[], handlerArgs: string[] = []) =>
  spawnMq(['consume', 'ev', '--group', group, '--failover-timeout', '1s', ...extra, '--', process.execPath, HANDLER, ...handlerArgs], { home, env: { HANDLER_LOG: log } });
const runs = (): HandlerRun[] => handlerRuns(log);
const processed = () => runs().filter((r) => r.ok).flatMap((r) => r.records);

beforeEach(() => {
  home = tempHome();
  log = path.join(home, 'handler.log');
});

describe('mq consume', () => {
  it('runs the command per batch with NDJSON on stdin and MQ_* set, checkpoints, and resumes after the checkpoint', async () => {
    await mq(['create-stream', 'ev', '--shards', '2']);
    await mq(['put', 'ev'], { input: Array.from({ length: 10 }, (_, i) => `r${i}`).join('\n') });
    const worker = consume('g', ['--from', 'trim-horizon', '--batch', '3', '--worker-id', 'w1'], ['echo']);
    await waitFor(() => processed().length >= 10, () => JSON.stringify(runs()));
    worker.kill('SIGTERM');
    const result = await worker;
    expect(result.exitCode, describeRun({ exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) })).toBe(130);
    expect(String(result.stderr)).toMatch(/^mq: consume ev \(group g, worker w1\): 10 records in \d+ batches, 0 failed runs, 2 shards taken, 0 finished, 0 leases lost in [\d.]+s \([\d./]+s\), interrupted\n$/);
    expect(String(result.stdout)).toMatch(/^(batch of [123]\n)+$/);
    for (const run of runs()) {
      expect(run).toMatchObject({ ok: true, worker: 'w1', group: 'g', stream: 'ev' });
      expect(run.records.length).toBeLessThanOrEqual(3);
      for (const record of run.records) expect(record).toMatchObject({ shard: run.shard, sequence: expect.stringMatching(/^\d{33}$/), key: expect.any(String), arrivedAt: expect.stringMatching(/Z$/) });
    }
    expect(processed().map((r) => r.data).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`).sort());
    // Checkpointed where it stopped, and the leases given back.
    const groups = jsonLines((await mq(['groups', 'ev', '--json'])).stdout);
    expect(groups.map((g) => [g.shardId, g.lagRecords, g.leaseOwner])).toEqual([[S(0), 0, undefined], [S(1), 0, undefined]]);
    for (const shard of [S(0), S(1)]) {
      expect(JSON.parse(fs.readFileSync(path.join(home, 'streams', 'ev', 'groups', 'g', `${shard}.lease`), 'utf8'))).toMatchObject({ owner: null });
    }
    await mq(['put', 'ev', 'after1', 'after2']);
    const again = consume('g', ['--from', 'trim-horizon']);
    await waitFor(() => processed().length >= 12, () => JSON.stringify(runs()));
    again.kill('SIGTERM');
    expect((await again).exitCode).toBe(130);
    expect(processed().slice(10).map((r) => r.data).sort()).toEqual(['after1', 'after2']);
  });

  it('starts a new group at latest by default: records put before it are not processed', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev', 'old']);
    const worker = consume('g', []);
    await waitFor(async () => jsonLines((await mq(['groups', 'ev', '--json'])).stdout).some((g) => g.leaseOwner !== undefined));
    await mq(['put', 'ev', 'new']);
    await waitFor(() => processed().length >= 1);
    worker.kill('SIGINT');
    expect((await worker).exitCode).toBe(130);
    expect(processed().map((r) => r.data)).toEqual(['new']);
  });

  it('runs a failing batch again with backoff, the same records each time, checkpoints once it succeeds, and exits 5', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev', 'x', 'y']);
    const worker = consume('g', ['--from', 'trim-horizon', '--retry-delay', '100ms'], ['failTimes=2']);
    await waitFor(() => processed().length >= 2);
    worker.kill('SIGTERM');
    const result = await worker;
    expect(result.exitCode).toBe(5);
    expect(String(result.stderr)).toMatch(/mq: shardId-000000000000: handler exited with status 3; the batch of 2 is retried in 100ms\n.*retried in 200ms\n.*2 records in 1 batches, 2 failed runs/s);
    expect(runs().map((r) => [r.ok, r.records.map((x) => x.data)])).toEqual([[false, ['x', 'y']], [false, ['x', 'y']], [true, ['x', 'y']]]);
    expect(jsonLines((await mq(['groups', 'ev', '--json'])).stdout)[0]).toMatchObject({ lagRecords: 0 });
  });

  it('finishes a parent (SHARD_END) before its children, and a merge child after both parents (95, 96)', async () => {
    await mq(['create-stream', 'ev']);
    const putKeys = (n: number) => mq(['put', 'ev', '--key-field', 'k'], { input: ['a', 'b', 'c', 'd'].map((k) => JSON.stringify({ k, n })).join('\n') });
    await putKeys(1);
    await mq(['split', 'ev', '0']);
    await putKeys(2);
    await mq(['merge', 'ev', '1', '2']);
    await putKeys(3);
    const worker = consume('g', ['--from', 'trim-horizon', '--batch', '2']);
    await waitFor(() => processed().length >= 12, () => JSON.stringify(runs()));
    worker.kill('SIGTERM');
    expect((await worker).exitCode).toBe(130);
    for (const key of ['a', 'b', 'c', 'd']) {
      expect(processed().filter((r) => r.key === key).map((r) => JSON.parse(r.data).n)).toEqual([1, 2, 3]);
    }
    // Each shard's runs all come after every run of its parents.
    const shardRuns = runs().map((r) => r.shard);
    const lastOf = (shard: string) => shardRuns.lastIndexOf(shard);
    const firstOf = (shard: string) => shardRuns.indexOf(shard);
    expect(lastOf(S(0))).toBeLessThan(Math.min(firstOf(S(1)), firstOf(S(2))));
    expect(Math.max(lastOf(S(1)), lastOf(S(2)))).toBeLessThan(firstOf(S(3)));
    const groups = jsonLines((await mq(['groups', 'ev', '--json'])).stdout);
    expect(groups.map((g) => [g.shardId, g.checkpoint === 'SHARD_END'])).toEqual([[S(0), true], [S(1), true], [S(2), true], [S(3), false]]);
  });

  it('on SIGTERM lets the running batch finish and checkpoints it before exiting', async () => {
    await mq(['create-stream', 'ev']);
    await mq(['put', 'ev', 'slow']);
    const worker = consume('g', ['--from', 'trim-horizon', '--worker-id', 'w1'], ['sleep=1500']);
    await waitFor(async () => jsonLines((await mq(['groups', 'ev', '--json'])).stdout).some((g) => g.leaseOwner !== undefined));
    // A reader of the same group without the lease cannot move the worker's checkpoint.
    expectRun(await mq(['tail', 'ev', '--group', 'g']), 4, 'slow\n', `mq: ${S(0)} of group "g" is leased by worker "w1": only it may checkpoint there\n`);
    worker.kill('SIGTERM');
    const result = await worker;
    expect(result.exitCode).toBe(130);
    expect(processed().map((r) => r.data)).toEqual(['slow']);
    expect(jsonLines((await mq(['groups', 'ev', '--json'])).stdout)).toEqual([
      { group: 'g', shardId: S(0), checkpoint: '100000000000000000000000000000001', lagRecords: 0, lagMs: 0 },
    ]);
  });

  it('refuses bad arguments (2), a missing stream (3), and a command that cannot run (2)', async () => {
    expectRun(await mq(['consume', 'nope', '--group', 'g', '--', 'true']), 3, '', `mq: stream "nope" does not exist in ${home}\n`);
    await mq(['create-stream', 'ev']);
    expectRun(await mq(['consume', 'ev', '--', 'true']), 2, '', /required option '--group <group>' not specified/);
    expectRun(await mq(['consume', 'ev', '--group', 'g']), 2, '', /missing required argument 'command'/);
    expectRun(await mq(['consume', 'ev', '--group', 'g', '--from', 'at:100000000000000000000000000000001', '--', 'true']), 2, '', /a sequence number names one shard/);
    expectRun(await mq(['consume', 'ev', '--group', 'g', '--failover-timeout', '500ms', '--', 'true']), 2, '', /--failover-timeout must be at least 1s/);
    expectRun(await mq(['consume', 'ev', '--group', 'bad/g', '--', 'true']), 2, '', /invalid consumer group name/);
    expectRun(await mq(['consume', 'ev', '--group', 'g', '--batch', '0', '--', 'true']), 2, '', /--batch/);
    await mq(['put', 'ev', 'x']);
    const missing = await mq(['consume', 'ev', '--group', 'g', '--from', 'trim-horizon', '--', path.join(home, 'no-such-handler')]);
    expectRun(missing, 2, '', /mq: cannot run ".*no-such-handler": command not found\n$/);
  });
});
