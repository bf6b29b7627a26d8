// Several real processes racing on one queue: every message is delivered, none to two consumers within
// one visibility window, and a consumer killed before acking loses nothing.
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

const CONSUMER = path.resolve('test/fixtures/consumer.mjs');

interface Delivery {
  id: string;
  n: number;
  at: number;
}

function consumer(home: string, args: { batch: number; visibilityMs: number; idleMs: number; hold?: boolean }) {
  return execa(process.execPath, [CONSUMER, home, 'jobs', String(args.batch), String(args.visibilityMs), String(args.idleMs), args.hold ? 'hold' : ''], {
    reject: false,
  });
}

async function fill(home: string, count: number): Promise<string[]> {
  const q = createFsBackend({ home, durability: 'none' }).queues;
  await q.create('jobs');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const outcomes = await q.send('jobs', Array.from({ length: Math.min(500, count - start) }, (_, i) => ({ body: `m${start + i}` })));
    for (const outcome of outcomes) if (outcome.ok) ids.push(outcome.id);
  }
  return ids;
}

describe('concurrent consumers', () => {
  it('four consumer processes drain 4,000 messages: each delivered exactly once', async () => {
    const home = tempHome();
    const ids = await fill(home, 4000);
    const results = await Promise.all(Array.from({ length: 4 }, () => consumer(home, { batch: 10, visibilityMs: 60_000, idleMs: 500 })));
    for (const result of results) expect(result.stderr).toBe('');
    const deliveries = results.flatMap((r) => jsonLines<Delivery>(String(r.stdout)));
    const perConsumer = results.map((r) => jsonLines(String(r.stdout)).length);
    expect(perConsumer.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(deliveries).toHaveLength(4000);
    expect(new Set(deliveries.map((d) => d.id))).toEqual(new Set(ids));
    expect(deliveries.every((d) => d.n === 1)).toBe(true);
    const stats = await createFsBackend({ home }).queues.stats('jobs');
    expect(stats).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('a consumer killed with SIGKILL before acking loses nothing: its messages return after the timeout', async () => {
    const home = tempHome();
    const ids = await fill(home, 1000);
    const victim = consumer(home, { batch: 50, visibilityMs: 1500, idleMs: 3000, hold: true });
    let held: Delivery[] = [];
    await new Promise<void>((resolve) => {
      let text = '';
      victim.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.endsWith('\n')) {
          held = jsonLines<Delivery>(text);
          resolve();
        }
      });
    });
    victim.kill('SIGKILL');
    expect((await victim).signal).toBe('SIGKILL');
    expect(held).toHaveLength(50);
    const heldAt = Date.now();
    const results = await Promise.all(Array.from({ length: 3 }, () => consumer(home, { batch: 10, visibilityMs: 60_000, idleMs: 3000 })));
    const deliveries = results.flatMap((r) => jsonLines<Delivery>(String(r.stdout)));
    expect(deliveries).toHaveLength(1000);
    expect(new Set(deliveries.map((d) => d.id))).toEqual(new Set(ids));
    const redelivered = deliveries.filter((d) => d.n === 2);
    expect(new Set(redelivered.map((d) => d.id))).toEqual(new Set(held.map((d) => d.id)));
    // Within one visibility window nobody else got them.
    for (const d of redelivered) expect(d.at - heldAt).toBeGreaterThanOrEqual(1500 - 200);
  });

  // A generous deadline: about a dozen process starts one after another per shell, seconds each when the
  // machine is busy.
  it('the CLI in parallel shell loops: four `mq receive | mq ack` consumers share 2,000 messages', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs'], { home });
    const input = Array.from({ length: 2000 }, (_, i) => `job ${i}`).join('\n') + '\n';
    expect((await runMq(['send', 'jobs'], { home, input, env: { MQ_DURABILITY: 'none' } })).exitCode).toBe(0);
    const mqBin = path.resolve('bin/mq.cjs');
    const loop = `while out=$("${process.execPath}" "${mqBin}" receive jobs -n 100) && [ -n "$out" ]; do printf '%s\\n' "$out"; printf '%s\\n' "$out" | "${process.execPath}" "${mqBin}" ack jobs || exit 9; done`;
    const shells = await Promise.all(Array.from({ length: 4 }, () => execa('bash', ['-c', loop], { env: { MQ_HOME: home }, reject: false })));
    for (const shell of shells) expect([shell.exitCode, shell.stderr]).toEqual([0, '']);
    const bodies = shells.flatMap((s) => jsonLines<{ body: string }>(String(s.stdout)).map((m) => m.body));
    expect(bodies).toHaveLength(2000);
    expect(new Set(bodies).size).toBe(2000);
    const empty = spawnMq(['stats', 'jobs', '--json'], { home });
    expect(jsonLines(String((await empty).stdout))[0]).toMatchObject({ visible: 0, inFlight: 0 });
  }, 300_000);
});
