// FIFO behaviour that needs a fake clock or a look at the files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../../../src/fs/fs-backend.js';
import type { QueueStore } from '../../../../src/core/queue-store.js';
import { MINUTE, SECOND } from '../../../../src/core/queue-attributes.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { tempHome } from '../../../helpers/tmp-home.js';
import { formatDedupEntry, parseDedupEntry } from '../../../../src/fs/queue/fifo/dedup.js';

describe('FIFO queues on the file store', () => {
  let clock: FakeClock;
  let home: string;
  let q: QueueStore;

  beforeEach(async () => {
    clock = new FakeClock();
    home = tempHome();
    q = createFsBackend({ home, clock }).queues;
    await q.create('jobs.fifo');
  });

  const send = async (dedupId: string, body = 'x') => {
    const [outcome] = await q.send('jobs.fifo', [{ body, group: 'g', dedupId }]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!;
  };

  it('enqueues a dedup id again once five minutes have passed since the original', async () => {
    const first = await send('d');
    clock.advance(5 * MINUTE - 1);
    expect(await send('d')).toMatchObject({ id: first.id, duplicate: true });
    clock.advance(1);
    const later = await send('d');
    expect(later.duplicate).toBeUndefined();
    expect(later.id).not.toBe(first.id);
    expect((await q.stats('jobs.fifo')).visible).toBe(2);
  });

  it('writes a dedup entry as one link of under 60 bytes (kept in its inode) naming the original', async () => {
    const first = await send('d');
    const [window] = fs.readdirSync(path.join(home, 'queues', 'jobs.fifo', 'dedup'));
    const dir = path.join(home, 'queues', 'jobs.fifo', 'dedup', window!);
    const [entry] = fs.readdirSync(dir);
    const target = fs.readlinkSync(path.join(dir, entry!));
    expect(target.length).toBeLessThan(60);
    expect(parseDedupEntry(target)).toEqual({ id: first.id, sequence: first.sequence, at: clock.now() });
  });

  it('reads back every dedup entry it writes, and nothing else', () => {
    const entry = { id: '01KB2Z3Y4X5W6V7T8S9R0QPNMJ', sequence: '00000000000000000042', at: 1_795_000_000_000 };
    expect(parseDedupEntry(formatDedupEntry(entry))).toEqual(entry);
    const top = { ...entry, sequence: '99999999999999999999' };
    expect(parseDedupEntry(formatDedupEntry(top))).toEqual(top);
    for (const bad of ['', '{"id":"x"}', `${entry.id}.42`, `${entry.id}.x.1`, `${entry.id.toLowerCase()}.42.1`, `${entry.id}.42.1.`]) {
      expect(parseDedupEntry(bad)).toBeNull();
    }
  });

  it('keeps deduplication state bounded: windows that can no longer match are removed', async () => {
    const windows = () => fs.readdirSync(path.join(home, 'queues', 'jobs.fifo', 'dedup'));
    for (let i = 0; i < 6; i++) {
      await send(`d${i}`);
      clock.advance(5 * MINUTE);
    }
    expect(windows().length).toBeLessThanOrEqual(3);
  });

  it('drops messages past retention at the head of a group so the rest can flow', async () => {
    await q.update('jobs.fifo', { retentionMs: MINUTE });
    await send('old', 'old');
    clock.advance(30 * SECOND);
    await send('young', 'young');
    clock.advance(31 * SECOND);
    expect((await q.receive('jobs.fifo', { max: 10 })).map((m) => m.body)).toEqual(['young']);
  });

  it('returns an expired delivery before anything later in its group', async () => {
    await send('1', 'one');
    await send('2', 'two');
    const [first] = await q.receive('jobs.fifo', { visibilityTimeoutMs: 10 * SECOND });
    expect(first!.body).toBe('one');
    clock.advance(10 * SECOND);
    expect((await q.receive('jobs.fifo', { max: 1 })).map((m) => [m.body, m.receiveCount])).toEqual([['one', 2]]);
  });

  it('lists one directory per group, named so any printable group id is safe', async () => {
    await q.send('jobs.fifo', [{ body: 'a', group: '../../etc', dedupId: '1' }, { body: 'b', group: 'a/b', dedupId: '2' }]);
    const groups = fs.readdirSync(path.join(home, 'queues', 'jobs.fifo', 'groups')).sort();
    expect(groups).toEqual(['gLi4vLi4vZXRj', 'gYS9i']);
    expect((await q.receive('jobs.fifo', { max: 10 })).map((m) => m.group).sort()).toEqual(['../../etc', 'a/b']);
  });
});
