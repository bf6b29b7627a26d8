// The behaviour every QueueStore must have (SQS semantics, items 1-35 of the spec's checklist), written
// once and run against each backend. Real time with short timeouts: a backend need not take a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import type { QueueStore } from '../../src/core/queue-store.js';
import type { ReceivedMessage } from '../../src/core/queue-types.js';
import { MqError } from '../../src/core/errors.js';

export type BackendFactory = () => Promise<{ backend: Backend; cleanup(): Promise<void> }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof MqError) return error.code;
    throw error;
  }
}

export function describeQueueStoreContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`QueueStore contract: ${backendName}`, () => {
    let q: QueueStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      const made = await makeBackend();
      q = made.backend.queues;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await cleanup();
    });

    const sendBodies = async (queue: string, bodies: string[]) => {
      const outcomes = await q.send(queue, bodies.map((body) => ({ body })));
      return outcomes.map((o) => {
        if (!o.ok) throw o.error;
        return o.id;
      });
    };

    describe('creating queues', () => {
      it('rejects invalid names and treats names as case-sensitive', async () => {
        for (const name of ['x'.repeat(81), 'a/b', '../x', 'sp ace', '']) expect(await codeOf(q.create(name))).toBe('INVALID_NAME');
        await q.create('Jobs');
        await q.create('jobs');
        expect((await q.list()).map((i) => i.name)).toEqual(['Jobs', 'jobs']);
      });

      it('is idempotent with the same attributes and refuses different ones', async () => {
        expect((await q.create('jobs', { visibilityTimeoutMs: 60_000 })).created).toBe(true);
        expect((await q.create('jobs', { visibilityTimeoutMs: 60_000 })).created).toBe(false);
        expect((await q.create('jobs')).created).toBe(false);
        expect(await codeOf(q.create('jobs', { visibilityTimeoutMs: 10_000 }))).toBe('ALREADY_EXISTS');
      });

      it('has the SQS defaults', async () => {
        const { queue } = await q.create('jobs');
        expect(queue.attributes).toMatchObject({
          visibilityTimeoutMs: 30_000, delayMs: 0, retentionMs: 345_600_000, maxMessageBytes: 1_048_576, receiveWaitMs: 0,
        });
      });

      it('rejects attribute values out of range', async () => {
        for (const attributes of [
          { visibilityTimeoutMs: 43_200_001 }, { delayMs: 900_001 }, { retentionMs: 59_000 }, { retentionMs: 1_209_600_001 },
          { maxMessageBytes: 1023 }, { maxMessageBytes: 1_048_577 }, { receiveWaitMs: 20_001 },
        ]) {
          expect(await codeOf(q.create('jobs', attributes))).toBe('INVALID_ARGUMENT');
        }
        expect(await q.list()).toEqual([]);
      });

      it('lists by a case-sensitive prefix', async () => {
        for (const name of ['app-a', 'app-b', 'App-c', 'other']) await q.create(name);
        expect((await q.list('app')).map((i) => i.name)).toEqual(['app-a', 'app-b']);
      });

      it('removes a queue with its messages and allows the name again at once', async () => {
        await q.create('jobs');
        await sendBodies('jobs', ['a']);
        await q.remove('jobs');
        expect(await codeOf(q.get('jobs'))).toBe('QUEUE_NOT_FOUND');
        expect(await codeOf(q.remove('jobs'))).toBe('QUEUE_NOT_FOUND');
        await q.create('jobs');
        expect(await q.receive('jobs')).toEqual([]);
      });

      it('changes attributes but never the type', async () => {
        await q.create('jobs');
        expect((await q.update('jobs', { visibilityTimeoutMs: 5000 })).attributes.visibilityTimeoutMs).toBe(5000);
        expect(await codeOf(q.update('jobs', { fifo: true }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(q.update('nope', { delayMs: 0 }))).toBe('QUEUE_NOT_FOUND');
      });
    });

    describe('sending', () => {
      beforeEach(async () => {
        await q.create('jobs', { maxMessageBytes: 1024 });
      });

      it('returns an id and the MD5 of body and attributes', async () => {
        const [outcome] = await q.send('jobs', [{ body: 'My first message.', attributes: { SellerName: 'Example Store' } }]);
        expect(outcome).toMatchObject({
          ok: true, md5OfBody: '01cdf1b34e8351b604422a26270c2c5f', md5OfAttributes: 'cd28f3b68aeee4b2eac9c66f2f694b58',
        });
      });

      it('refuses empty, oversize and invalid bodies and bad attributes, storing only the valid entries', async () => {
        const outcomes = await q.send('jobs', [
          { body: '' }, { body: 'x'.repeat(1025) }, { body: 'ok' }, { body: 'bad\u0000' },
          { body: 'x'.repeat(1000), attributes: { k: 'x'.repeat(30) } },
          { body: 'y', attributes: { 'AWS.x': 'v' } },
          { body: 'z', attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
        ]);
        expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
          'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE', 'ok', 'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE', 'INVALID_MESSAGE', 'INVALID_MESSAGE',
        ]);
        expect((await q.stats('jobs')).visible).toBe(1);
      });

      it('stores nothing of an atomic batch with one bad entry', async () => {
        expect(await codeOf(q.send('jobs', [{ body: 'a' }, { body: '' }], { atomic: true }))).toBe('INVALID_MESSAGE');
        expect((await q.stats('jobs')).visible).toBe(0);
      });

      it('refuses a queue that does not exist', async () => {
        expect(await codeOf(q.send('nope', [{ body: 'a' }]))).toBe('QUEUE_NOT_FOUND');
      });
    });

    describe('receiving', () => {
      beforeEach(async () => {
        await q.create('jobs', { visibilityTimeoutMs: 400 });
      });

      it('returns at most max messages (default 1) with every field set', async () => {
        const before = Date.now();
        await sendBodies('jobs', ['a', 'b', 'c']);
        const [one] = await q.receive('jobs');
        expect(one).toMatchObject({ body: 'a', receiveCount: 1, attributes: {} });
        expect(one!.receipt).toEqual(expect.any(String));
        expect(one!.sentAt).toBeGreaterThanOrEqual(before - 1);
        expect(one!.firstReceivedAt).toBeGreaterThanOrEqual(one!.sentAt);
        expect((await q.receive('jobs', { max: 10 })).map((m) => m.body)).toEqual(['b', 'c']);
        expect(await codeOf(q.receive('jobs', { max: 0 }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(q.receive('jobs', { max: 10_001 }))).toBe('INVALID_ARGUMENT');
      });

      it('keeps received messages invisible until the deadline, then delivers them again with a higher count', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        expect(await q.receive('jobs')).toEqual([]);
        await sleep(500);
        const [second] = await q.receive('jobs');
        expect(second).toMatchObject({ id: first!.id, receiveCount: 2, firstReceivedAt: first!.firstReceivedAt });
        expect(second!.receipt).not.toBe(first!.receipt);
      });

      it('deletes with the latest receipt and not with a superseded one', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        await sleep(500);
        const [second] = await q.receive('jobs');
        const [stale] = await q.ack('jobs', [first!.receipt!]);
        expect(stale).toMatchObject({ ok: false });
        expect(stale!.ok ? '' : stale!.error.code).toBe('RECEIPT_STALE');
        expect((await q.stats('jobs')).inFlight).toBe(1);
        expect(await q.ack('jobs', [second!.receipt!])).toEqual([{ receipt: second!.receipt, ok: true }]);
        expect((await q.stats('jobs')).inFlight).toBe(0);
      });

      it('refuses a malformed receipt and one from another queue', async () => {
        await q.create('other');
        await sendBodies('other', ['a']);
        const [message] = await q.receive('other');
        const outcomes = await q.ack('jobs', ['nonsense', message!.receipt!]);
        expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['RECEIPT_INVALID', 'RECEIPT_INVALID']);
        expect((await q.stats('other')).inFlight).toBe(1);
      });

      it('acks many receipts at once and reports each', async () => {
        await sendBodies('jobs', ['a', 'b', 'c']);
        const messages = await q.receive('jobs', { max: 3 });
        const outcomes = await q.ack('jobs', [...messages.map((m) => m.receipt!), messages[0]!.receipt!]);
        expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, false]);
        expect((await q.stats('jobs'))).toMatchObject({ visible: 0, inFlight: 0 });
      });

      it('uses a visibility timeout given on receive for that receipt only', async () => {
        await sendBodies('jobs', ['a']);
        await q.receive('jobs', { visibilityTimeoutMs: 100 });
        await sleep(150);
        const [again] = await q.receive('jobs');
        expect(again?.receiveCount).toBe(2);
        await sleep(200);
        expect(await q.receive('jobs')).toEqual([]);
      });

      it('deletes on receipt when asked (at most once)', async () => {
        await sendBodies('jobs', ['a', 'b']);
        const popped = await q.receive('jobs', { max: 5, deleteOnReceive: true });
        expect(popped.map((m) => [m.body, m.receipt])).toEqual([['a', undefined], ['b', undefined]]);
        expect(await q.stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
      });

      it('keeps body bytes and attributes exactly', async () => {
        const body = 'line one\nline two\r\n\ttabbed 😀 \u00e9';
        await q.send('jobs', [{ body, attributes: { kind: 'image', 'x.y-z_1': 'ünï' } }]);
        const [message] = await q.receive('jobs');
        expect(message!.body).toBe(body);
        expect(message!.attributes).toEqual({ kind: 'image', 'x.y-z_1': 'ünï' });
      });
    });

    describe('visibility changes', () => {
      beforeEach(async () => {
        await q.create('jobs', { visibilityTimeoutMs: 30_000 });
      });

      it('makes a message visible at once with 0, keeping its count', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        await q.changeVisibility('jobs', first!.receipt!, 0);
        const [again] = await q.receive('jobs');
        expect(again).toMatchObject({ id: first!.id, receiveCount: 2 });
      });

      it('counts the new timeout from the call, and the old receipt stays valid', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        await q.changeVisibility('jobs', first!.receipt!, 300);
        expect(await q.receive('jobs')).toEqual([]);
        await q.changeVisibility('jobs', first!.receipt!, 300);
        await sleep(150);
        expect(await q.receive('jobs')).toEqual([]);
        expect(await q.ack('jobs', [first!.receipt!])).toEqual([{ receipt: first!.receipt, ok: true }]);
      });

      it('refuses a message that is no longer in flight and leaves it unchanged', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs', { visibilityTimeoutMs: 100 });
        await sleep(150);
        expect(await codeOf(q.changeVisibility('jobs', first!.receipt!, 10_000))).toBe('RECEIPT_STALE');
        expect((await q.receive('jobs'))[0]).toMatchObject({ id: first!.id, receiveCount: 2 });
      });

      it('refuses more than 12 hours', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        expect(await codeOf(q.changeVisibility('jobs', first!.receipt!, 43_200_001))).toBe('INVALID_ARGUMENT');
      });
    });

    describe('delays', () => {
      it('holds a delayed message back and counts it as delayed meanwhile', async () => {
        await q.create('jobs', { delayMs: 300 });
        await sendBodies('jobs', ['a']);
        expect(await q.receive('jobs')).toEqual([]);
        expect(await q.stats('jobs')).toMatchObject({ visible: 0, delayed: 1 });
        await sleep(350);
        expect((await q.receive('jobs')).map((m) => m.body)).toEqual(['a']);
      });

      it('lets a per-message delay override the queue delay, and a queue delay change is not retroactive', async () => {
        await q.create('jobs', { delayMs: 60_000 });
        await q.send('jobs', [{ body: 'now', delayMs: 0 }, { body: 'later' }]);
        expect((await q.receive('jobs', { max: 10 })).map((m) => m.body)).toEqual(['now']);
        await q.update('jobs', { delayMs: 0 });
        expect(await q.receive('jobs')).toEqual([]);
        expect((await q.stats('jobs')).delayed).toBe(1);
      });

      it('refuses a delay over 15 minutes', async () => {
        await q.create('jobs');
        const [outcome] = await q.send('jobs', [{ body: 'a', delayMs: 900_001 }]);
        expect(outcome!.ok ? '' : outcome!.error.code).toBe('INVALID_ARGUMENT');
      });
    });

    describe('long polling', () => {
      beforeEach(async () => {
        await q.create('jobs');
      });

      it('returns as soon as a message is sent', async () => {
        const started = Date.now();
        const receiving = q.receive('jobs', { waitMs: 10_000 });
        await sleep(200);
        await sendBodies('jobs', ['a']);
        const messages = await receiving;
        expect(messages.map((m) => m.body)).toEqual(['a']);
        expect(Date.now() - started).toBeLessThan(2000);
      });

      it('returns when a visibility timeout expires or a message is given back', async () => {
        await sendBodies('jobs', ['a', 'b']);
        const [a, b] = await q.receive('jobs', { max: 2, visibilityTimeoutMs: 300 });
        await q.changeVisibility('jobs', b!.receipt!, 10_000);
        const started = Date.now();
        const expired = await q.receive('jobs', { waitMs: 5000 });
        expect(expired.map((m) => m.id)).toEqual([a!.id]);
        expect(Date.now() - started).toBeLessThan(1500);
        const receiving = q.receive('jobs', { waitMs: 5000 });
        await sleep(100);
        await q.changeVisibility('jobs', b!.receipt!, 0);
        expect((await receiving).map((m) => m.id)).toEqual([b!.id]);
      });

      it('returns empty only when the wait is over', async () => {
        const started = Date.now();
        expect(await q.receive('jobs', { waitMs: 600 })).toEqual([]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(590);
      });

      it('ends early when its signal aborts', async () => {
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(), 100);
        expect(await q.receive('jobs', { waitMs: 10_000, signal: controller.signal })).toEqual([]);
        expect(Date.now() - started).toBeLessThan(2000);
      });

      it('refuses waits over 20 seconds', async () => {
        expect(await codeOf(q.receive('jobs', { waitMs: 20_001 }))).toBe('INVALID_ARGUMENT');
      });
    });

    describe('purge, peek and counts', () => {
      beforeEach(async () => {
        await q.create('jobs');
      });

      it('purges visible, delayed and in-flight messages', async () => {
        await q.send('jobs', [{ body: 'a' }, { body: 'b' }, { body: 'c', delayMs: 60_000 }]);
        const [inFlight] = await q.receive('jobs');
        expect((await q.purge('jobs')).purged).toBe(3);
        expect(await q.stats('jobs')).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
        expect((await q.ack('jobs', [inFlight!.receipt!]))[0]!.ok).toBe(false);
        expect((await q.purge('jobs')).purged).toBe(0);
      });

      it('peeks without receiving', async () => {
        await sendBodies('jobs', ['a', 'b']);
        const peeked = await q.peek('jobs', { max: 5 });
        expect(peeked.map((m) => [m.body, m.state, m.receiveCount])).toEqual([['a', 'visible', 0], ['b', 'visible', 0]]);
        const [received] = await q.receive('jobs');
        expect(received!.receiveCount).toBe(1);
        expect((await q.peek('jobs', { max: 5 })).map((m) => [m.body, m.state])).toEqual([['b', 'visible'], ['a', 'inFlight']]);
      });

      it('counts exactly after any sequence of operations', async () => {
        await sendBodies('jobs', Array.from({ length: 20 }, (_, i) => `m${i}`));
        await q.send('jobs', [{ body: 'late', delayMs: 60_000 }]);
        const received: ReceivedMessage[] = await q.receive('jobs', { max: 7 });
        await q.ack('jobs', received.slice(0, 3).map((m) => m.receipt!));
        await q.changeVisibility('jobs', received[3]!.receipt!, 0);
        const stats = await q.stats('jobs');
        expect(stats).toMatchObject({ visible: 14, inFlight: 3, delayed: 1 });
        expect(stats.receiveCounts).toEqual({ 0: 14, 1: 4 });
        expect(stats.oldestSentAt).toEqual(expect.any(Number));
      });
    });
  });
}
