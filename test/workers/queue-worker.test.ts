// The queue worker in-process, over the file store, with handlers faked: what is acked, given back,
// told as events and reported in the cases the end-to-end tests cannot set up exactly.
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import type { QueueStore } from '../../src/core/queue-store.js';
import type { ReceivedMessage } from '../../src/core/queue-types.js';
import { type QueueWorkerOptions, runQueueWorker } from '../../src/workers/queue-worker.js';
import type { HandlerOutcome } from '../../src/workers/handler.js';
import { type QueueWorkerEvent, describeQueueWorkerEvent } from '../../src/workers/events.js';
import { tempHome } from '../helpers/tmp-home.js';

let store: QueueStore;
let warnings: string[];
let events: QueueWorkerEvent[];

beforeEach(() => {
  store = createFsBackend({ home: tempHome(), durability: 'none' }).queues;
  warnings = [];
  events = [];
});

function options(queue: string, handler: (message: ReceivedMessage) => Promise<HandlerOutcome>, overrides: Partial<QueueWorkerOptions> = {}): QueueWorkerOptions {
  return {
    store, queue, untilEmpty: true, retry: { delayMs: 0 }, handler,
    onEvent: (event) => {
      events.push(event);
      const line = describeQueueWorkerEvent(event);
      if (line !== null) warnings.push(line);
    },
    ...overrides,
  };
}

const ok: HandlerOutcome = { ok: true };
const failed: HandlerOutcome = { ok: false, reason: 'handler exited with status 1' };
const kinds = () => events.map((event) => event.type);

describe('runWorker', () => {
  it('gives the rest of a FIFO group back unstarted after a failure, keeping the group in order', async () => {
    await store.create('orders.fifo', { contentDedup: true });
    await store.send('orders.fifo', ['a', 'b', 'c'].map((body) => ({ body, group: 'g' })));
    const ran: string[] = [];
    const report = await runQueueWorker(options('orders.fifo', async (m) => {
      ran.push(m.body);
      return m.body === 'a' ? failed : ok;
    }, { concurrency: 3, maxMessages: 3 }));
    expect(ran).toEqual(['a']);
    expect(report).toMatchObject({ taken: 3, processed: 0, failed: 1, released: 2, interrupted: false });
    expect((await store.peek('orders.fifo', { max: 5 })).map((m) => [m.body, m.state])).toEqual([['a', 'visible'], ['b', 'visible'], ['c', 'visible']]);
  });

  it('stops and gives the message back when the handler cannot work at all (fatal)', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }, { body: 'y' }]);
    const error = Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' });
    const report = await runQueueWorker(options('jobs', async () => ({ ok: false, reason: 'command not found', fatal: true, cause: error })));
    expect(report).toMatchObject({ taken: 1, processed: 0, failed: 0, released: 1, fatal: { reason: 'command not found', cause: error } });
    expect(kinds()).toEqual(['taken', 'released']);
    expect(await store.stats('jobs')).toMatchObject({ visible: 2, inFlight: 0 });
  });

  it('acks what a handler handled and tells each step as an event', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runQueueWorker(options('jobs', async () => ok));
    expect(report).toMatchObject({ taken: 1, processed: 1, failed: 0 });
    expect(kinds()).toEqual(['taken', 'processed']);
    expect(await store.stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('counts a handler that throws as failed, and retries its message after the retry delay', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runQueueWorker(options('jobs', async () => {
      throw new Error('boom');
    }, { retry: { delayMs: 60_000 } }));
    expect(report).toMatchObject({ taken: 1, processed: 0, failed: 1 });
    expect(warnings).toEqual([expect.stringMatching(/^message \w+: handler threw: boom; retry in 1m$/)]);
    expect(await store.stats('jobs')).toMatchObject({ visible: 0, inFlight: 1 });
  });

  it('reads the queue\'s settings and refuses a visibility timeout below 1 s', async () => {
    await store.create('jobs', { visibilityTimeoutMs: 500 });
    await expect(runQueueWorker(options('jobs', async () => ok))).rejects.toThrow(/at least 1s \(queue "jobs" has 500ms\)/);
  });

  it('takes nothing once interrupted', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const interrupt = new AbortController();
    interrupt.abort();
    const report = await runQueueWorker(options('jobs', async () => ok, { signal: interrupt.signal, untilEmpty: false }));
    expect(report).toMatchObject({ taken: 0, interrupted: true });
  });

  it('counts a failure at the max receives as dead-lettered and gives it back at once', async () => {
    await store.create('dead');
    await store.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runQueueWorker(options('jobs', async () => failed, { retry: { delayMs: 3_600_000 } }));
    expect(report).toMatchObject({ taken: 1, failed: 1, deadLettered: 1 });
    expect(warnings).toEqual([expect.stringMatching(/handler exited with status 1; received 1 times, it moves to the dead-letter queue$/)]);
    expect((await store.stats('dead')).visible).toBe(1);
  });

  it('reports a store failure after draining the running handlers', async () => {
    await store.create('jobs');
    await store.send('jobs', [{ body: 'x' }]);
    const report = await runQueueWorker(options('jobs', async () => {
      await store.remove('jobs');
      return ok;
    }, { untilEmpty: false }));
    expect(report.processed).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/handled, but not deleted/)]);
    expect((report.error as { code?: string }).code).toBe('QUEUE_NOT_FOUND');
  });
});
