// The behaviour every QueueStore must have (SQS semantics, items 1-35 of the spec's checklist), written
// once and run against each backend. Real time with short timeouts: a backend need not take a fake clock.
// Where backends differ by design (BackendTraits, documented in the README), an assertion holds for the
// backends with the trait, and the others are held to their documented behaviour instead.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackendTraits } from '../../src/core/backend.js';
import type { QueueStore } from '../../src/core/queue-store.js';
import type { ReceivedMessage } from '../../src/core/queue-types.js';
import { codeOf } from '../helpers/error-codes.js';
import { type BackendFactory, useFreshBackend } from './backend-fixture.js';

export type { BackendFactory };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeQueueStoreContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`QueueStore contract: ${backendName}`, () => {
    let q: QueueStore;
    let traits: BackendTraits;
    useFreshBackend(makeBackend, (backend) => {
      q = backend.queues;
      traits = backend.traits;
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

      it('keeps tags: set on create, replaced by update, left alone by a create of the existing queue', async () => {
        await q.create('jobs', { tags: { team: 'ops' } });
        expect((await q.get('jobs')).attributes.tags).toEqual({ team: 'ops' });
        expect((await q.create('jobs', { tags: { other: 'x' } })).created).toBe(false);
        expect((await q.get('jobs')).attributes.tags).toEqual({ team: 'ops' });
        await q.update('jobs', { tags: { team: 'dev', cost: '42' } });
        expect((await q.list())[0]!.attributes.tags).toEqual({ team: 'dev', cost: '42' });
        await q.update('jobs', { visibilityTimeoutMs: 1000 });
        expect((await q.get('jobs')).attributes.tags).toEqual({ team: 'dev', cost: '42' });
        expect(await codeOf(q.update('jobs', { tags: { 'aws:reserved': 'x' } }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(q.update('jobs', { tags: { ['k'.repeat(129)]: 'x' } }))).toBe('INVALID_ARGUMENT');
        const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']));
        expect(await codeOf(q.update('jobs', { tags: many }))).toBe('INVALID_ARGUMENT');
      });
    });

    describe('sending', () => {
      beforeEach(async () => {
        await q.create('jobs', { maxMessageBytes: 1024 });
      });

      it('returns the id of each message, in order', async () => {
        const outcomes = await q.send('jobs', [{ body: 'a' }, { body: 'b', attributes: { SellerName: 'Example Store' } }]);
        const ids = outcomes.map((o) => (o.ok ? o.id : ''));
        expect(ids.every((id) => /^[0-9A-Z]{26}$/.test(id))).toBe(true);
        expect((await q.receive('jobs', { max: 2 })).map((m) => m.id)).toEqual(ids);
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
        expect(second).toMatchObject({ id: first!.id, receiveCount: 2 });
        // Without the trait, a redelivery's firstReceivedAt is its own time.
        expect(second!.firstReceivedAt).toBe(traits.firstReceiveKept ? first!.firstReceivedAt : second!.firstReceivedAt);
        if (!traits.firstReceiveKept) expect(second!.firstReceivedAt).toBeGreaterThan(first!.firstReceivedAt);
        expect(second!.receipt).not.toBe(first!.receipt);
      });

      it('deletes with the latest receipt and not with a superseded one', async () => {
        await sendBodies('jobs', ['a']);
        const [first] = await q.receive('jobs');
        await sleep(500);
        const [second] = await q.receive('jobs');
        const [stale] = await q.ack('jobs', [first!.receipt!]);
        if (traits.staleReceiptsRefused) {
          expect(stale).toMatchObject({ ok: false });
          expect(stale!.ok ? '' : stale!.error.code).toBe('RECEIPT_STALE');
          expect((await q.stats('jobs')).inFlight).toBe(1);
          expect(await q.ack('jobs', [second!.receipt!])).toEqual([{ receipt: second!.receipt, ok: true }]);
        } else {
          // The older receipt acks the message; the latest one then finds it gone.
          expect(stale).toEqual({ receipt: first!.receipt, ok: true });
          expect((await q.ack('jobs', [second!.receipt!]))[0]).toMatchObject({ ok: false, error: { code: 'RECEIPT_STALE' } });
        }
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

      it('keeps typed attributes (Number, Binary, custom labels) exactly', async () => {
        const attributes = {
          n: { type: 'Number', value: '-1.5e3' }, b: { type: 'Binary', binary: Buffer.from([0, 255, 10]).toString('base64') },
          id: { type: 'String.uuid', value: 'abc' }, s: 'plain',
        };
        await q.send('jobs', [{ body: 'x', attributes }]);
        const [message] = await q.receive('jobs');
        expect(message!.attributes).toEqual(attributes);
        const bad = [{ n: { type: 'Number', value: 'ten' } }, { b: { type: 'Binary', value: 'text' } }, { s: { type: 'Text', value: 'x' } }, { b: { type: 'Binary', binary: '***' } }];
        for (const attrs of bad) {
          const [outcome] = await q.send('jobs', [{ body: 'x', attributes: attrs as never }]);
          expect(outcome!.ok ? 'ok' : outcome!.error.code).toBe('INVALID_MESSAGE');
        }
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
        if (traits.staleReceiptsRefused) {
          expect(await codeOf(q.changeVisibility('jobs', first!.receipt!, 10_000))).toBe('RECEIPT_STALE');
          expect((await q.receive('jobs'))[0]).toMatchObject({ id: first!.id, receiveCount: 2 });
        } else {
          // The receipt still changes the visibility of its message until it is deleted.
          await q.changeVisibility('jobs', first!.receipt!, 0);
          const [again] = await q.receive('jobs');
          expect(again).toMatchObject({ id: first!.id, receiveCount: 2 });
          await q.ack('jobs', [again!.receipt!]);
          expect(await codeOf(q.changeVisibility('jobs', first!.receipt!, 10_000))).toBe('RECEIPT_STALE');
        }
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

    describe('FIFO queues', () => {
      const sendFifo = async (queue: string, entries: { body: string; group?: string; dedupId?: string }[]) => {
        const outcomes = await q.send(queue, entries);
        return outcomes.map((o) => {
          if (!o.ok) throw o.error;
          return o;
        });
      };

      it('are made by a .fifo name, and the type cannot be asked for otherwise', async () => {
        expect(await codeOf(q.create('jobs', { fifo: true }))).toBe('INVALID_ARGUMENT');
        expect((await q.create('jobs.fifo')).queue.attributes.fifo).toBe(true);
        expect(await codeOf(q.update('jobs.fifo', { fifo: false }))).toBe('INVALID_ARGUMENT');
      });

      it('require a group and a dedup id (or content dedup), and refuse a per-message delay', async () => {
        await q.create('jobs.fifo');
        const outcomes = await q.send('jobs.fifo', [
          { body: 'a', dedupId: 'x' }, { body: 'a', group: 'g' }, { body: 'a', group: 'g', dedupId: 'x', delayMs: 1000 },
          { body: 'a', group: 'white space', dedupId: 'x' }, { body: 'a', group: 'g', dedupId: 'y'.repeat(129) },
        ]);
        expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual([
          expect.stringMatching(/needs a message group/), expect.stringMatching(/needs a deduplication id/),
          expect.stringMatching(/no per-message delay/), expect.stringMatching(/invalid message group id/),
          expect.stringMatching(/invalid deduplication id/),
        ]);
        expect((await q.stats('jobs.fifo')).visible).toBe(0);
      });

      it('refuse a dedup id on a standard queue but keep a group there', async () => {
        await q.create('jobs');
        const [withDedup, withGroup] = await q.send('jobs', [{ body: 'a', dedupId: 'x' }, { body: 'b', group: 'tenant-1' }]);
        expect(withDedup!.ok ? '' : withDedup!.error.message).toMatch(/FIFO queues only/);
        expect(withGroup!.ok).toBe(true);
        expect((await q.receive('jobs'))[0]).toMatchObject({ body: 'b', group: 'tenant-1' });
      });

      it('deliver a group in send order with increasing sequence numbers, and carry group, dedupId and sequence', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        const sent = await sendFifo('jobs.fifo', Array.from({ length: 20 }, (_, i) => ({ body: `m${i}`, group: 'g' })));
        const sequences = sent.map((o) => o.sequence!);
        expect([...sequences].sort()).toEqual(sequences);
        expect(new Set(sequences).size).toBe(20);
        const received: ReceivedMessage[] = [];
        // Without the trait a receive gives at most one message per group.
        while (received.length < 20) {
          const batch = await q.receive('jobs.fifo', { max: 20 });
          expect(batch.length).toBe(traits.fifoBatchesPerGroup ? 20 : 1);
          received.push(...batch);
          if (!traits.fifoBatchesPerGroup) await q.ack('jobs.fifo', batch.map((m) => m.receipt!));
        }
        expect(received.map((m) => m.body)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
        expect(received.map((m) => m.sequence)).toEqual(sequences);
        expect(received[0]).toMatchObject({ group: 'g', sequence: sequences[0], dedupId: expect.stringMatching(/^[0-9a-f]{64}$/) });
      });

      it('hold back a group while a message of it is in flight, and serve other groups', async () => {
        await q.create('jobs.fifo', { contentDedup: true, visibilityTimeoutMs: 30_000 });
        await sendFifo('jobs.fifo', [{ body: 'a1', group: 'A' }, { body: 'a2', group: 'A' }, { body: 'b1', group: 'B' }]);
        const [first] = await q.receive('jobs.fifo', { max: 1 });
        const others = await q.receive('jobs.fifo', { max: 10 });
        // Without the trait, one message per group per receive: a2 waits for the next receive.
        expect(first!.group === 'A' ? others.map((m) => m.body) : [first!.body, ...others.map((m) => m.body)]).toEqual(
          first!.group === 'A' ? ['b1'] : traits.fifoBatchesPerGroup ? ['b1', 'a1', 'a2'] : ['b1', 'a1'],
        );
        if (first!.group === 'A') {
          expect(await q.receive('jobs.fifo', { max: 10 })).toEqual([]);
          await q.ack('jobs.fifo', [first!.receipt!]);
          expect((await q.receive('jobs.fifo', { max: 10 })).map((m) => m.body)).toEqual(['a2']);
        }
      });

      it('release a group when its in-flight message expires, delivering the same message again first', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        await sendFifo('jobs.fifo', [{ body: 'a1', group: 'A' }, { body: 'a2', group: 'A' }]);
        const [first] = await q.receive('jobs.fifo', { visibilityTimeoutMs: 200 });
        expect(first!.body).toBe('a1');
        expect(await q.receive('jobs.fifo')).toEqual([]);
        await sleep(250);
        const again = await q.receive('jobs.fifo', { max: 10 });
        if (!traits.fifoBatchesPerGroup) {
          expect(again.map((m) => [m.body, m.receiveCount])).toEqual([['a1', 2]]);
          await q.ack('jobs.fifo', [again[0]!.receipt!]);
          again.push(...await q.receive('jobs.fifo', { max: 10 }));
        }
        expect(again.map((m) => [m.body, m.receiveCount])).toEqual([['a1', 2], ['a2', 1]]);
      });

      it('fill a batch with consecutive messages of one group first', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        await sendFifo('jobs.fifo', [
          { body: 'a1', group: 'A' }, { body: 'b1', group: 'B' }, { body: 'a2', group: 'A' }, { body: 'b2', group: 'B' }, { body: 'a3', group: 'A' },
        ]);
        const batch = await q.receive('jobs.fifo', { max: 3 });
        const group = batch[0]!.group;
        if (traits.fifoBatchesPerGroup) expect(batch.map((m) => m.group)).toEqual(group === 'A' ? ['A', 'A', 'A'] : ['B', 'B', 'A']);
        // Without the trait: the head of each group, once.
        else expect(batch.map((m) => [m.group, m.body]).sort()).toEqual([['A', 'a1'], ['B', 'b1']]);
      });

      it('deduplicate within the window, even after the original was deleted, returning the original id', async () => {
        await q.create('jobs.fifo');
        const [original] = await sendFifo('jobs.fifo', [{ body: 'a', group: 'g', dedupId: 'order-7' }]);
        const [received] = await q.receive('jobs.fifo');
        await q.ack('jobs.fifo', [received!.receipt!]);
        const [again] = await sendFifo('jobs.fifo', [{ body: 'different body', group: 'g', dedupId: 'order-7' }]);
        expect(again).toMatchObject({ id: original!.id, sequence: original!.sequence, duplicate: true });
        expect(await q.receive('jobs.fifo')).toEqual([]);
      });

      it('deduplicate by the body with content dedup, letting an explicit id override it', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        const sent = await sendFifo('jobs.fifo', [
          { body: 'same', group: 'g' }, { body: 'same', group: 'g' }, { body: 'same', group: 'g', dedupId: 'explicit' },
        ]);
        expect(sent.map((o) => Boolean(o.duplicate))).toEqual([false, true, false]);
        expect((await q.stats('jobs.fifo')).visible).toBe(2);
      });

      it('deduplicate per group with the group scope, and across groups with the queue scope', async () => {
        await q.create('scoped.fifo', { dedupScope: 'group' });
        await q.create('whole.fifo');
        for (const queue of ['scoped.fifo', 'whole.fifo']) {
          await sendFifo(queue, [{ body: 'a', group: 'g1', dedupId: 'd' }, { body: 'b', group: 'g2', dedupId: 'd' }]);
        }
        expect((await q.stats('scoped.fifo')).visible).toBe(2);
        expect((await q.stats('whole.fifo')).visible).toBe(1);
      });

      it('apply a queue delay change to messages already queued', async () => {
        await q.create('jobs.fifo', { contentDedup: true, delayMs: 60_000 });
        await sendFifo('jobs.fifo', [{ body: 'a', group: 'g' }]);
        expect(await q.receive('jobs.fifo')).toEqual([]);
        expect((await q.stats('jobs.fifo')).delayed).toBe(1);
        await q.update('jobs.fifo', { delayMs: 0 });
        expect((await q.receive('jobs.fifo')).map((m) => m.body)).toEqual(['a']);
      });

      it('keep the order of a batch send', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        await sendFifo('jobs.fifo', ['x', 'y', 'z'].map((body) => ({ body, group: 'g' })));
        expect((await q.peek('jobs.fifo', { max: 3 })).map((m) => m.body)).toEqual(['x', 'y', 'z']);
      });

      it('change visibility of a FIFO delivery and give it back', async () => {
        await q.create('jobs.fifo', { contentDedup: true });
        await sendFifo('jobs.fifo', [{ body: 'a', group: 'g' }, { body: 'b', group: 'g' }]);
        const [first] = await q.receive('jobs.fifo');
        await q.changeVisibility('jobs.fifo', first!.receipt!, 60_000);
        expect(await q.receive('jobs.fifo')).toEqual([]);
        await q.changeVisibility('jobs.fifo', first!.receipt!, 0);
        const [again] = await q.receive('jobs.fifo');
        expect(again).toMatchObject({ body: 'a', receiveCount: 2 });
        if (traits.staleReceiptsRefused) {
          expect((await q.ack('jobs.fifo', [first!.receipt!]))[0]!.ok).toBe(false);
          expect((await q.ack('jobs.fifo', [again!.receipt!]))[0]!.ok).toBe(true);
        } else {
          expect((await q.ack('jobs.fifo', [first!.receipt!]))[0]!.ok).toBe(true);
          expect((await q.ack('jobs.fifo', [again!.receipt!]))[0]!.ok).toBe(false);
        }
        expect((await q.receive('jobs.fifo'))[0]).toMatchObject({ body: 'b', receiveCount: 1 });
      });
    });

    describe('dead-letter queues and redrive', () => {
      const poison = async (queue: string, times: number, visibilityTimeoutMs = 100) => {
        for (let i = 0; i < times; i++) {
          await q.receive(queue, { max: 10, visibilityTimeoutMs });
          await sleep(visibilityTimeoutMs + 20);
        }
      };

      it('require the dead-letter queue to exist and be of the same type', async () => {
        expect(await codeOf(q.create('jobs', { deadLetter: { queue: 'missing', maxReceives: 3 } }))).toBe('QUEUE_NOT_FOUND');
        await q.create('dead.fifo');
        await q.create('jobs');
        expect(await codeOf(q.update('jobs', { deadLetter: { queue: 'dead.fifo', maxReceives: 3 } }))).toBe('INVALID_ARGUMENT');
      });

      it('follow the dead-letter queue\'s redrive-allow policy (SQS RedriveAllowPolicy)', async () => {
        await q.create('dead', { redriveAllow: { permission: 'byQueue', sourceQueues: ['allowed'] } });
        expect((await q.get('dead')).attributes.redriveAllow).toEqual({ permission: 'byQueue', sourceQueues: ['allowed'] });
        await q.create('allowed', { deadLetter: { queue: 'dead', maxReceives: 2 } });
        expect(await codeOf(q.create('other', { deadLetter: { queue: 'dead', maxReceives: 2 } }))).toBe('INVALID_ARGUMENT');
        await q.update('dead', { redriveAllow: { permission: 'denyAll' } });
        await q.create('third');
        expect(await codeOf(q.update('third', { deadLetter: { queue: 'dead', maxReceives: 2 } }))).toBe('INVALID_ARGUMENT');
        await q.update('dead', { redriveAllow: { permission: 'allowAll' } });
        await q.update('third', { deadLetter: { queue: 'dead', maxReceives: 2 } });
        expect(await codeOf(q.update('dead', { redriveAllow: { permission: 'byQueue' } }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(q.update('dead', { redriveAllow: { permission: 'denyAll', sourceQueues: ['x'] } }))).toBe('INVALID_ARGUMENT');
        const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`);
        expect(await codeOf(q.update('dead', { redriveAllow: { permission: 'byQueue', sourceQueues: eleven } }))).toBe('INVALID_ARGUMENT');
      });

      it('deliver a message maxReceives times, then move it, intact, on the next receive', async () => {
        await q.create('dead');
        await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 2 } });
        const [sent] = await q.send('jobs', [{ body: 'poison', attributes: { k: 'v' } }]);
        await poison('jobs', 2);
        expect(await q.receive('jobs')).toEqual([]);
        const [dead] = await q.receive('dead');
        expect(dead).toMatchObject({ id: sent!.ok ? sent!.id : '', body: 'poison', attributes: { k: 'v' }, deadLetterSource: 'jobs' });
        expect((await q.stats('jobs')).deadLetter).toMatchObject({ queue: 'dead', depth: 1 });
        expect((await q.stats('dead')).deadLetterSources).toEqual(['jobs']);
      });

      it('move FIFO dead letters to a FIFO dead-letter queue, both of two with the same dedup id', async () => {
        await q.create('dead.fifo');
        await q.create('jobs.fifo', { deadLetter: { queue: 'dead.fifo', maxReceives: 1 }, dedupScope: 'group' });
        await q.send('jobs.fifo', [{ body: 'a', group: 'g1', dedupId: 'same' }, { body: 'b', group: 'g2', dedupId: 'same' }]);
        await poison('jobs.fifo', 1);
        expect(await q.receive('jobs.fifo', { max: 10 })).toEqual([]);
        const dead = await q.receive('dead.fifo', { max: 10 });
        expect(dead.map((m) => m.body).sort()).toEqual(['a', 'b']);
        expect(dead.every((m) => m.deadLetterSource === 'jobs.fifo' && m.sequence !== undefined)).toBe(true);
      });

      it('redrive dead letters to their own sources, oldest first, as new messages', async () => {
        await q.create('dead');
        await q.create('a', { deadLetter: { queue: 'dead', maxReceives: 1 } });
        await q.create('b', { deadLetter: { queue: 'dead', maxReceives: 1 } });
        const [fromA] = await q.send('a', [{ body: 'from a' }]);
        await poison('a', 1);
        await q.receive('a');
        await q.send('b', [{ body: 'from b' }]);
        await poison('b', 1);
        await q.receive('b');
        expect((await q.peek('dead', { max: 5 })).map((m) => m.body)).toEqual(['from a', 'from b']);
        const result = await q.redrive('dead');
        expect(result).toMatchObject({ moved: 2, movedTo: { a: 1, b: 1 }, skipped: [] });
        const [back] = await q.receive('a');
        expect(back).toMatchObject({ body: 'from a', receiveCount: 1 });
        expect(back!.id).not.toBe(fromA!.ok ? fromA!.id : '');
        expect(back!.deadLetterSource).toBeUndefined();
        expect((await q.stats('dead')).visible).toBe(0);
      });

      it('leave the dead-letter queue receivable at once after a redrive', async () => {
        await q.create('dead');
        await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
        await q.send('jobs', [{ body: '1' }, { body: '2' }, { body: '3' }]);
        await poison('jobs', 1);
        await q.receive('jobs', { max: 10 });
        expect((await q.redrive('dead')).moved).toBe(3);
        // Straight after the redrive (no stats or peek between): a receive that does not wait answers at once.
        expect(await q.receive('dead', { max: 10 })).toEqual([]);
        expect((await q.receive('jobs', { max: 10 })).map((m) => m.body).sort()).toEqual(['1', '2', '3']);
      });

      it('redrive to one destination, at most max messages', async () => {
        await q.create('dead');
        await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
        await q.create('retry');
        await q.send('jobs', [{ body: '1' }, { body: '2' }, { body: '3' }]);
        await poison('jobs', 1);
        await q.receive('jobs', { max: 10 });
        expect((await q.redrive('dead', { to: 'retry', max: 2 })).moved).toBe(2);
        expect((await q.stats('retry')).visible).toBe(2);
        expect((await q.stats('dead')).visible).toBe(1);
      });

      it('refuse a redrive from a queue that is no dead-letter queue, and a second redrive at once', async () => {
        await q.create('plain');
        expect(await codeOf(q.redrive('plain'))).toBe('QUEUE_NOT_FOUND');
        await q.create('dead');
        await q.create('jobs', { deadLetter: { queue: 'dead', maxReceives: 1 } });
        await q.send('jobs', Array.from({ length: 5 }, (_, i) => ({ body: String(i) })));
        await poison('jobs', 1);
        await q.receive('jobs', { max: 10 });
        const slow = q.redrive('dead', { ratePerSecond: 10 });
        await sleep(50);
        expect(await codeOf(q.redrive('dead'))).toBe('LOCKED');
        expect((await slow).moved).toBe(5);
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
        if (traits.exactStats) {
          expect(stats).toMatchObject({ visible: 14, inFlight: 3, delayed: 1 });
          expect(stats.receiveCounts).toEqual({ 0: 14, 1: 4 });
        } else {
          // The message given back counts as in flight until it is delivered again; no histogram.
          expect(stats).toMatchObject({ visible: 13, inFlight: 4, delayed: 1 });
          expect(stats.receiveCounts).toEqual({});
          await q.receive('jobs', { max: 20 });
          expect(await q.stats('jobs')).toMatchObject({ visible: 0, inFlight: 17, delayed: 1 });
        }
        expect(stats.oldestSentAt).toEqual(expect.any(Number));
      });
    });
  });
}
