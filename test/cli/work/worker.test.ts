// The work loop in-process, over the file store, with handlers faked: what is acked, given back and
// reported in the cases the end-to-end tests cannot set up exactly.
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import type { QueueStore } from '../../../src/core/queue-store.js';
import type { ReceivedMessage } from '../../../src/core/queue-types.js';
import { type WorkerOptions, runWorker } from '../../../src/cli/work/worker.js';
import type { HandlerOutcome } from '../../../src/cli/work/handler-process.js';
import { tempHome } from '../../helpers/tmp-home.js';

let store: QueueStore;
let warnings: string[];

beforeEach(() => {
  store = createFsBackend({ home: tempHome(), durability: 'none' }).queues;
  warnings = [];
});

function options(queue: string, run: (message: ReceivedMessage) => Promise<HandlerOutcome>, overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    store, queue, fifo: queue.endsWith('.fifo'), concurrency: 1, untilEmpty: true, visibilityTimeoutMs: 30_000,
    retry: { delayMs: 0, backoff: false, maxDelayMs: 0 }, maxReceives: null, interrupt: new AbortController().signal,
    now: () => Date.now(), run, warn: (text) => warnings.push(text), ...overrides,
  };
}

const ok: HandlerOutcome = { kind: 'exited', code: 0 };
const failed: HandlerOutcome = { kind: 'exited', code: 1 };

describe('runWorker', () => {
  it('gives the rest of a FIFO group back unstarted after a failure, keeping the group in order', async () => {
    await store.create('orders.fifo', { contentDedup: true });
    await store.send('orders.fifo', ['a', 'b', 'c'].map((body) => ({ body, group: 'g' })));
    const ran: string[] = [];
    const report = await runWorker(options('orders.fifo', async (m) => {
      ran.push(m.body);
      return m.body === 'a' ? failed : ok;
    }, { concurrency: 3, maxMessages: 3 }));
    expect(ran).toEqual(['a']);
    expect(report).toMatchObject({ taken: 3, processed: 0, failed: 1, released: 2, interrupted: false });
    expect((await store.peek('orders.fifo', { max: 5 })).map((m) => [m.body, m.state])).toEqual([['a', 'visible'], ['b', 'visible'], ['c', 'visible']]);
  });

  it('stops and gives the message back when the handler cannot be started', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }, { body: 'y' }]);
    const error = Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' });
    const report = await runWorker(options('jobs', async () => ({ kind: 'spawnFailed', error })));
    expect(report).toMatchObject({ taken: 1, processed: 0, failed: 0, released: 1, spawnError: error });
    expect(await store.stats('jobs')).toMatchObject({ visible: 2, inFlight: 0 });
  });

  it('takes nothing once interrupted', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const interrupt = new AbortController();
    interrupt.abort();
    const report = await runWorker(options('jobs', async () => ok, { interrupt: interrupt.signal, untilEmpty: false }));
    expect(report).toMatchObject({ taken: 0, interrupted: true });
  });

  it('counts a failure at the max receives as dead-lettered and gives it back at once', async () => {
    await store.create('dead');
    await store.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runWorker(options('jobs', async () => failed, { maxReceives: 1, retry: { delayMs: 3_600_000, backoff: false, maxDelayMs: 0 } }));
    expect(report).toMatchObject({ taken: 1, failed: 1, deadLettered: 1 });
    expect(warnings).toEqual([expect.stringMatching(/handler exited with status 1; received 1 times, it moves to the dead-letter queue$/)]);
    expect((await store.stats('dead')).visible).toBe(1);
  });

  it('reports a store failure after draining the running handlers', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runWorker(options('jobs', async () => {
      await store.remove('jobs');
      return ok;
    }, { untilEmpty: false }));
    expect(report.processed).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/handled, but not deleted/)]);
    expect((report.error as { code?: string }).code).toBe('QUEUE_NOT_FOUND');
  });
});
