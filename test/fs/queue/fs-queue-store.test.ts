// File-store behaviour that needs a fake clock or a look at the files themselves.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import type { QueueStore } from '../../../src/core/queue-store.js';
import { HOUR, MINUTE, SECOND } from '../../../src/core/queue-attributes.js';
import { MqError } from '../../../src/core/errors.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { listTree, tempHome } from '../../helpers/tmp-home.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as MqError).code;
  }
}

describe('file queue store with a fake clock', () => {
  let clock: FakeClock;
  let home: string;
  let q: QueueStore;

  beforeEach(() => {
    clock = new FakeClock();
    home = tempHome();
    q = createFsBackend({ home, clock }).queues;
  });

  it('never keeps a message in flight more than 12 hours after its receive, and refuses rather than clamps', async () => {
    await q.create('jobs');
    await q.send('jobs', [{ body: 'a' }]);
    const [message] = await q.receive('jobs', { visibilityTimeoutMs: 12 * HOUR });
    clock.advance(11 * HOUR);
    expect(await codeOf(q.changeVisibility('jobs', message!.receipt!, 2 * HOUR))).toBe('CONFLICT');
    await q.changeVisibility('jobs', message!.receipt!, HOUR);
    clock.advance(HOUR - 1);
    expect(await q.receive('jobs')).toEqual([]);
    clock.advance(1);
    expect((await q.receive('jobs'))[0]).toMatchObject({ id: message!.id, receiveCount: 2 });
  });

  it('drops messages older than the retention period, counted from the original send', async () => {
    await q.create('jobs', { retentionMs: 2 * MINUTE });
    await q.send('jobs', [{ body: 'old' }]);
    clock.advance(MINUTE);
    await q.send('jobs', [{ body: 'young' }]);
    const [old] = await q.receive('jobs', { visibilityTimeoutMs: 10 * SECOND });
    expect(old!.body).toBe('old');
    clock.advance(MINUTE);
    expect(await q.stats('jobs')).toMatchObject({ visible: 1, inFlight: 0 });
    expect((await q.receive('jobs', { max: 10 })).map((m) => m.body)).toEqual(['young']);
  });

  it('expires stored messages when the retention period is lowered', async () => {
    await q.create('jobs', { retentionMs: 4 * 24 * HOUR });
    await q.send('jobs', [{ body: 'a' }]);
    clock.advance(2 * HOUR);
    await q.send('jobs', [{ body: 'b' }]);
    await q.update('jobs', { retentionMs: HOUR });
    expect((await q.stats('jobs')).visible).toBe(1);
    expect((await q.receive('jobs', { max: 10 })).map((m) => m.body)).toEqual(['b']);
  });

  it('sets the first receive time once and keeps the send time', async () => {
    await q.create('jobs');
    const sentAt = clock.now();
    await q.send('jobs', [{ body: 'a' }]);
    clock.advance(5 * SECOND);
    const [first] = await q.receive('jobs', { visibilityTimeoutMs: SECOND });
    clock.advance(2 * SECOND);
    const [second] = await q.receive('jobs');
    expect(first).toMatchObject({ sentAt, firstReceivedAt: sentAt + 5 * SECOND });
    expect(second).toMatchObject({ sentAt, firstReceivedAt: sentAt + 5 * SECOND, receiveCount: 2 });
  });

  it('receives in send order across buckets and within one', async () => {
    await q.create('jobs');
    const bodies: string[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = Array.from({ length: 30 }, (_, i) => `${round}-${i}`);
      bodies.push(...batch);
      await q.send('jobs', batch.map((body) => ({ body })));
      clock.advance(300 + round * 70_000);
    }
    const received = await q.receive('jobs', { max: 1000 });
    expect(received.map((m) => m.body)).toEqual(bodies);
  });

  it('moves a message to the dead-letter queue on the receive after its last allowed one, keeping it intact', async () => {
    await q.create('dead');
    await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 2 } });
    const [sent] = await q.send('jobs', [{ body: 'poison', attributes: { k: 'v' } }]);
    for (let i = 0; i < 2; i++) {
      expect((await q.receive('jobs', { visibilityTimeoutMs: SECOND }))[0]?.receiveCount).toBe(i + 1);
      clock.advance(SECOND);
    }
    expect(await q.receive('jobs')).toEqual([]);
    const [dead] = await q.receive('dead');
    expect(dead).toMatchObject({ id: sent!.ok && sent!.id, body: 'poison', attributes: { k: 'v' }, deadLetterSource: 'jobs' });
    expect(dead!.sentAt).toBe(clock.now() - 2 * SECOND);
    expect((await q.stats('jobs')).deadLetter).toEqual({ queue: 'dead', maxReceives: 2, depth: 1 });
    expect((await q.stats('dead')).deadLetterSources).toEqual(['jobs']);
  });

  it('requires the dead-letter queue to exist and be of the same type', async () => {
    expect(await codeOf(q.create('jobs', { deadLetter: { queue: 'missing', maxReceives: 3 } }))).toBe('QUEUE_NOT_FOUND');
    await q.create('dead.fifo');
    expect(await codeOf(q.create('jobs', { deadLetter: { queue: 'dead.fifo', maxReceives: 3 } }))).toBe('INVALID_ARGUMENT');
    expect(await q.list()).toHaveLength(1);
  });

  it('sets aside a message file that cannot be decoded instead of failing every receive', async () => {
    await q.create('jobs');
    await q.send('jobs', [{ body: 'a' }, { body: 'b' }]);
    const layout = path.join(home, 'queues', 'jobs', 'ready');
    const first = listTree(layout).filter((p) => p.split('/').length === 4)[0]!;
    fs.writeFileSync(path.join(layout, first), '');
    expect((await q.receive('jobs', { max: 10 })).map((m) => m.body)).toEqual(['b']);
    expect((await q.stats('jobs')).damaged).toBe(1);
  });

  it('removes empty buckets once they are well in the past', async () => {
    await q.create('jobs');
    await q.send('jobs', [{ body: 'a' }]);
    const [message] = await q.receive('jobs');
    await q.ack('jobs', [message!.receipt!]);
    clock.advance(10 * MINUTE);
    await q.receive('jobs');
    // The bottom and middle buckets are gone; the top one (4.7 hours wide) goes once it is past too.
    expect(listTree(path.join(home, 'queues', 'jobs', 'ready'))).toHaveLength(1);
    clock.advance(6 * HOUR);
    await q.receive('jobs');
    expect(listTree(path.join(home, 'queues', 'jobs', 'ready'))).toEqual([]);
  });

  it('cleans staging files that a killed sender left behind, once they are an hour old', async () => {
    await q.create('jobs');
    const tmp = path.join(home, 'queues', 'jobs', 'tmp');
    const [outcome] = await q.send('jobs', [{ body: 'a' }]);
    const leftover = `${outcome!.ok && outcome!.id}.new`;
    fs.writeFileSync(path.join(tmp, leftover), 'partial');
    await q.stats('jobs');
    expect(fs.readdirSync(tmp)).toEqual([leftover]);
    clock.advance(2 * HOUR);
    await q.stats('jobs');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('makes every directory 0700 and every file 0600, whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      await q.create('jobs');
      await q.send('jobs', [{ body: 'a' }]);
      await q.receive('jobs');
    } finally {
      process.umask(previous);
    }
    for (const entry of ['', ...listTree(home)]) {
      const stat = fs.statSync(path.join(home, entry));
      expect([entry, stat.mode & 0o777]).toEqual([entry, stat.isDirectory() ? 0o700 : 0o600]);
    }
  });

  it('reports the progress of a purge as messages are removed', async () => {
    const bulk = createFsBackend({ home, clock, durability: 'none' }).queues;
    await bulk.create('jobs');
    await bulk.send('jobs', Array.from({ length: 2500 }, (_, i) => ({ body: `m${i}` })));
    const seen: number[] = [];
    expect((await bulk.purge('jobs', { onProgress: (removed) => seen.push(removed) })).purged).toBe(2500);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.every((n) => n > 0 && n <= 2500)).toBe(true);
  });
});
