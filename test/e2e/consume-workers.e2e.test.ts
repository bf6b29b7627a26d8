// Several `mq consume` workers in one group, as separate processes: they split the shards, a newcomer
// gets its share, and after kill -9 of one the other takes its shards over once their leases expire,
// with every record processed at least once and no gap in any shard.
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import { handlerRuns, waitFor } from '../helpers/consume.js';

const HANDLER = path.resolve('test/fixtures/batch-handler.mjs');

let home: string;
let log: string;
const workers: ResultPromise[] = [];
const mq = (args: string[], options: { input?: string } = {}) => runMq(args, { home, ...options });
// A failover timeout long enough that a live worker's lease never lapses on a busy machine (renewed every
// third of it), so shards change hands only when a worker gives them back or dies.
const start = (id: string) => {
  const worker = spawnMq(
    ['consume', 'ev', '--group', 'g', '--from', 'trim-horizon', '--failover-timeout', '5s', '--batch', '25', '--worker-id', id, '--', process.execPath, HANDLER],
    { home, env: { HANDLER_LOG: log } },
  );
  workers.push(worker);
  return worker;
};
// Who holds which shard now, by worker: {a: 2, b: 2}.
const holders = async () => {
  const counts: Record<string, number> = {};
  for (const row of jsonLines((await mq(['groups', 'ev', '--json'])).stdout)) {
    if (typeof row.leaseOwner === 'string') counts[row.leaseOwner] = (counts[row.leaseOwner] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort());
};
const processed = () => handlerRuns(log).filter((r) => r.ok).flatMap((r) => r.records);
const putMany = (from: number, count: number) => mq(['put', 'ev'], { input: Array.from({ length: count }, (_, i) => `r${from + i}`).join('\n') });

beforeEach(async () => {
  home = tempHome();
  log = path.join(home, 'handler.log');
  await mq(['create-stream', 'ev', '--shards', '4']);
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    worker.kill('SIGKILL');
    await worker;
  }
});

describe('consume workers of one group', () => {
  it('two workers split four shards; after kill -9 of one the other takes its shards over; every record processed, no gap (92, 93)', async () => {
    await putMany(0, 200);
    const a = start('a');
    const b = start('b');
    await waitFor(async () => JSON.stringify(await holders()) === '{"a":2,"b":2}', async () => JSON.stringify(await holders()));
    await waitFor(() => new Set(processed().map((r) => r.data)).size >= 200);
    const before = handlerRuns(log);
    const shardsOfA = new Set(before.filter((r) => r.worker === 'a').map((r) => r.shard));
    // While both lived, shards changed hands only gracefully (checkpoint, release, take): no record twice.
    const seenBefore = before.filter((r) => r.ok).flatMap((r) => r.records.map((x) => x.sequence));
    expect(new Set(seenBefore).size).toBe(seenBefore.length);

    a.kill('SIGKILL');
    expect((await a).signal).toBe('SIGKILL');
    await putMany(200, 200);
    await waitFor(async () => JSON.stringify(await holders()) === '{"b":4}', async () => {
      b.kill('SIGTERM');
      const result = await b;
      return `${JSON.stringify(await holders())}; b exited ${result.exitCode}: ${String(result.stderr)}`;
    });
    await waitFor(() => new Set(processed().map((r) => r.data)).size >= 400, () => `${new Set(processed().map((r) => r.data)).size} of 400`);
    const after = handlerRuns(log).slice(before.length);
    for (const shard of shardsOfA) expect(after.some((r) => r.shard === shard && r.worker === 'b')).toBe(true);

    // At least once, and no gap: each shard's processed counters run 1..N.
    const byShard = new Map<string, Set<number>>();
    for (const record of processed()) {
      const counters = byShard.get(record.shard) ?? new Set<number>();
      counters.add(Number(record.sequence.slice(-20)));
      byShard.set(record.shard, counters);
    }
    let total = 0;
    for (const counters of byShard.values()) {
      const sorted = [...counters].sort((x, y) => x - y);
      expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => i + 1));
      total += sorted.length;
    }
    expect(total).toBe(400);
    expect(jsonLines((await mq(['groups', 'ev', '--json'])).stdout).every((g) => g.lagRecords === 0)).toBe(true);

    b.kill('SIGTERM');
    const result = await b;
    expect(result.exitCode).toBe(130);
    // b ends holding all four shards; how many it took on the way depends on which worker started first.
    const taken = /worker b\): \d+ records .*, (\d+) shards taken/.exec(String(result.stderr));
    expect(Number(taken?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('a worker joining a busy group gets its share: the first gives half of its shards back', async () => {
    await putMany(0, 100);
    const a = start('a');
    await waitFor(async () => JSON.stringify(await holders()) === '{"a":4}', async () => JSON.stringify(await holders()));
    const b = start('b');
    await waitFor(async () => JSON.stringify(await holders()) === '{"a":2,"b":2}', async () => JSON.stringify(await holders()));
    await putMany(100, 100);
    await waitFor(() => new Set(processed().map((r) => r.data)).size >= 200);
    const late = handlerRuns(log).filter((r) => r.records.some((x) => Number(x.data.slice(1)) >= 100));
    expect(new Set(late.map((r) => r.worker))).toEqual(new Set(['a', 'b']));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect([(await a).exitCode, (await b).exitCode]).toEqual([130, 130]);
    expect(await holders()).toEqual({});
  });
});
