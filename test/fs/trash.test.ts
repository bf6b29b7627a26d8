// trash/: what rm, rm-stream and purge rename away leaves its place at once; what a killed removal left
// there is deleted by a later removal once it is ten minutes old, never sooner.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { StoreLayout } from '../../src/fs/layout.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempHome } from '../helpers/tmp-home.js';

describe('trash', () => {
  it('deletes entries a killed removal left, once ten minutes old, at the next removal', async () => {
    const home = tempHome();
    const clock = new FakeClock();
    const q = createFsBackend({ home, clock }).queues;
    await q.create('a');
    await q.create('b');
    const store = new StoreLayout(home);
    fs.mkdirSync(store.trashDir);
    // As a removal killed between its rename and its delete leaves them: an old one and a recent one.
    const old = store.trashEntry('queue-x', clock.now() - 11 * 60_000, '00aa');
    const recent = store.trashEntry('queue-y', clock.now() - 5 * 60_000, '00bb');
    for (const entry of [old, recent]) fs.mkdirSync(path.join(entry, 'ready'), { recursive: true });
    await q.remove('a');
    expect(fs.readdirSync(store.trashDir)).toEqual([path.basename(recent)]);
    clock.advance(6 * 60_000);
    await q.purge('b');
    expect(fs.readdirSync(store.trashDir)).toEqual([]);
  });
});
