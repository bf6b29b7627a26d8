// FIFO and dead-letter guarantees with real processes racing: per-group order across producers and
// consumers, no group with two batches in flight, deduplication across processes, exactly-once
// dead-lettering, and a redrive killed half-way.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

const fixture = (name: string) => path.resolve('test/fixtures', name);

interface Batch {
  received: number;
  acking: number;
  messages: { group: string; body: string; n: number }[];
}

describe('FIFO queues under concurrency', () => {
  it('4 producers and 3 consumers: every group in order, never two batches of a group in flight', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs.fifo', '--content-dedup'], { home });
    const perProducer = 150;
    const producers = ['p1', 'p2', 'p3', 'p4'].map((group) =>
      runMq(['send', 'jobs.fifo', '--group', group], {
        home, input: Array.from({ length: perProducer }, (_, i) => `${group}-${i}`).join('\n') + '\n',
      }));
    const done = path.join(home, 'producers-done');
    const consumers = Array.from({ length: 3 }, () => execa(process.execPath, [fixture('fifo-consumer.mjs'), home, 'jobs.fifo', '3', '500', done], { reject: false }));
    for (const producer of await Promise.all(producers)) expect(producer.exitCode).toBe(0);
    fs.writeFileSync(done, '');
    const batches = (await Promise.all(consumers)).flatMap((c) => {
      expect(c.stderr).toBe('');
      return jsonLines<Batch>(String(c.stdout));
    });
    const byGroup = new Map<string, Batch[]>();
    for (const batch of batches) {
      const groups = new Set(batch.messages.map((m) => m.group));
      for (const group of groups) byGroup.set(group, [...(byGroup.get(group) ?? []), batch]);
    }
    for (const group of ['p1', 'p2', 'p3', 'p4']) {
      const ordered = (byGroup.get(group) ?? []).sort((a, b) => a.received - b.received);
      const bodies = ordered.flatMap((b) => b.messages.filter((m) => m.group === group).map((m) => m.body));
      expect(bodies).toEqual(Array.from({ length: perProducer }, (_, i) => `${group}-${i}`));
      for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.received).toBeGreaterThanOrEqual(ordered[i - 1]!.acking);
    }
  });

  it('the same dedup id sent by two processes at once is enqueued once', async () => {
    const home = tempHome();
    await createFsBackend({ home }).queues.create('jobs.fifo');
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(['first', 'second'].map((body) =>
        execa(process.execPath, [fixture('send-one.mjs'), home, 'jobs.fifo', body, `d${round}`])));
      const outcomes = results.map((r) => JSON.parse(String(r.stdout)) as { id: string; duplicate?: boolean });
      expect(outcomes[0]!.id).toBe(outcomes[1]!.id);
      expect(outcomes.filter((o) => o.duplicate)).toHaveLength(1);
    }
    expect((await createFsBackend({ home }).queues.stats('jobs.fifo')).visible).toBe(5);
  });

  it('a sender killed at any point of a batch and then retried enqueues each dedup id exactly once', async () => {
    // Killed half-way through publishing the batch, and once every message is in place: before the fix
    // the dedup entries were written after publishing, so the retry enqueued those messages again.
    for (const fraction of [0.5, 1]) {
      const home = tempHome();
      const q = createFsBackend({ home }).queues;
      await q.create('jobs.fifo');
      const count = 400;
      const group = path.join(home, 'queues', 'jobs.fifo', 'groups', 'gZw');
      const victim = execa(process.execPath, [fixture('fifo-batch-sender.mjs'), home, 'jobs.fifo', String(count)], { reject: false });
      const placed = () => (fs.existsSync(group) ? fs.readdirSync(group).length : 0);
      while (placed() < count * fraction && victim.exitCode === null) await new Promise((resolve) => setImmediate(resolve));
      victim.kill('SIGKILL');
      await victim;
      const retry = await execa(process.execPath, [fixture('fifo-batch-sender.mjs'), home, 'jobs.fifo', String(count)]);
      const { enqueued, duplicates } = JSON.parse(String(retry.stdout)) as { enqueued: number; duplicates: number };
      expect(enqueued + duplicates).toBe(count);
      const messages = await q.receive('jobs.fifo', { max: 10_000 });
      expect([fraction, messages.length]).toEqual([fraction, count]);
      expect(messages.map((m) => m.body)).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
    }
  });

  it('concurrent receivers move a poison message to the dead-letter queue exactly once', async () => {
    const home = tempHome();
    const q = createFsBackend({ home }).queues;
    await q.create('dead');
    await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
    await q.send('jobs', Array.from({ length: 200 }, (_, i) => ({ body: String(i) })));
    expect((await q.receive('jobs', { max: 200, visibilityTimeoutMs: 200 }))).toHaveLength(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const receivers = await Promise.all(Array.from({ length: 4 }, () => runMq(['receive', 'jobs', '-n', '100'], { home })));
    for (const r of receivers) expect([r.exitCode, r.stdout]).toEqual([0, '']);
    const stats = await q.stats('dead');
    expect(stats.visible).toBe(200);
    expect((await q.stats('jobs'))).toMatchObject({ visible: 0, inFlight: 0 });
    const dead = await q.receive('dead', { max: 1000 });
    expect(new Set(dead.map((m) => m.body)).size).toBe(200);
  });

  it('a redrive killed with SIGKILL half-way loses nothing and leaves nothing in two queues', async () => {
    const home = tempHome();
    const q = createFsBackend({ home, durability: 'none' }).queues;
    await q.create('dead');
    await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
    await q.send('jobs', Array.from({ length: 300 }, (_, i) => ({ body: String(i) })));
    await q.receive('jobs', { max: 300, visibilityTimeoutMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await q.receive('jobs', { max: 300 });
    expect((await q.stats('dead')).visible).toBe(300);
    // Slow enough (6 s for all) to be killed half-way once it has moved something, however late it starts.
    const redrive = spawnMq(['redrive', 'dead', '--rate', '50/s'], { home });
    const deadline = Date.now() + 30_000;
    while ((await q.stats('jobs')).visible === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    redrive.kill('SIGKILL');
    await redrive;
    const inDead = (await q.stats('dead')).visible;
    const inJobs = (await q.stats('jobs')).visible;
    expect(inDead).toBeGreaterThan(0);
    expect(inJobs).toBeGreaterThan(0);
    expect(inDead + inJobs).toBe(300);
    // The lock of the killed redrive does not block the next one, which moves the rest.
    expect((await q.redrive('dead')).moved).toBe(inDead);
    const bodies = (await q.receive('jobs', { max: 1000 })).map((m) => m.body);
    expect(new Set(bodies).size).toBe(300);
  });
});
