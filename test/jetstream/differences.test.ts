// The documented differences of the JetStream backend (README, "Scale-out: NATS JetStream"), each shown
// as it behaves: the contract suites hold the file store to the other behaviour (BackendTraits).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import { JetStreamClient } from '../../src/jetstream/client.js';
import { JetStreamNames } from '../../src/jetstream/names.js';
import { parseNatsUrl } from '../../src/jetstream/nats-url.js';
import { NATS_URL, jetStreamBackend } from './fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JetStream differences', () => {
  let backend: Backend;
  let namespace: string;
  let cleanup: () => Promise<void>;
  let client: JetStreamClient;

  beforeEach(() => {
    ({ backend, namespace, cleanup } = jetStreamBackend());
    client = new JetStreamClient(parseNatsUrl(NATS_URL));
  });
  afterEach(async () => {
    await client.close();
    await cleanup();
  });

  it('has the documented traits', () => {
    expect(backend.traits).toMatchObject({
      kind: 'jetstream', staleReceiptsRefused: false, firstReceiveKept: false, fifoBatchesPerGroup: false,
      exactStats: false, atomicReceiveVisibility: false, arrivalClock: 'server', durability: 'server-quorum',
    });
  });

  it('1. an older receipt still acks, or changes visibility, while its message is stored', async () => {
    const q = backend.queues;
    await q.create('jobs', { visibilityTimeoutMs: 30_000 });
    await q.send('jobs', [{ body: 'a' }, { body: 'b' }]);
    const [a1] = await q.receive('jobs', { visibilityTimeoutMs: 100 });
    await sleep(300);
    const [a2] = await q.receive('jobs');
    expect([a2!.id, a2!.receiveCount]).toEqual([a1!.id, 2]);
    // The first delivery's receipt gives the second delivery back at once...
    await q.changeVisibility('jobs', a1!.receipt!, 0);
    const [a3] = await q.receive('jobs');
    expect([a3!.id, a3!.receiveCount]).toEqual([a1!.id, 3]);
    // ...and acks it; every receipt of it is stale then.
    expect(await q.ack('jobs', [a1!.receipt!])).toEqual([{ receipt: a1!.receipt, ok: true }]);
    const [outcome] = await q.ack('jobs', [a3!.receipt!]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'RECEIPT_STALE' } });
    expect((await q.receive('jobs')).map((m) => m.body)).toEqual(['b']);
  });

  it('2. a redelivery\'s firstReceivedAt is its own time', async () => {
    const q = backend.queues;
    await q.create('jobs');
    await q.send('jobs', [{ body: 'a' }]);
    const [first] = await q.receive('jobs', { visibilityTimeoutMs: 100 });
    await sleep(300);
    const before = Date.now();
    const [second] = await q.receive('jobs');
    expect(second!.id).toBe(first!.id);
    expect(second!.firstReceivedAt).toBeGreaterThanOrEqual(before);
    expect(second!.firstReceivedAt).toBeGreaterThan(first!.firstReceivedAt);
  });

  it('3. FIFO: at most one message per group per receive, and a consumer per group that had messages', async () => {
    const q = backend.queues;
    await q.create('jobs.fifo', { contentDedup: true });
    await q.send('jobs.fifo', ['a1', 'a2', 'b1', 'b2', 'c1'].map((body) => ({ body, group: body[0]! })));
    const batch = await q.receive('jobs.fifo', { max: 10 });
    expect(batch.map((m) => m.body).sort()).toEqual(['a1', 'b1', 'c1']);
    const names = new JetStreamNames(namespace);
    const consumers = await client.api<{ consumers: string[] }>(`CONSUMER.NAMES.${names.queueStream('jobs.fifo')}`, {});
    expect(consumers.consumers.sort()).toEqual(['g-YQ', 'g-Yg', 'g-Yw']);
    // The next receive gets nothing until the heads are acked: each group is in flight.
    expect(await q.receive('jobs.fifo', { max: 10 })).toEqual([]);
    await q.ack('jobs.fifo', batch.map((m) => m.receipt!));
    expect((await q.receive('jobs.fifo', { max: 10 })).map((m) => m.body).sort()).toEqual(['a2', 'b2']);
  });

  it('4. stats: a message whose visibility expired counts as in flight until delivered again; no receive counts', async () => {
    const q = backend.queues;
    await q.create('jobs');
    await q.send('jobs', [{ body: 'a' }, { body: 'b' }]);
    await q.receive('jobs', { visibilityTimeoutMs: 100 });
    await sleep(300);
    expect(await q.stats('jobs')).toMatchObject({ visible: 1, inFlight: 1, receiveCounts: {} });
    await q.receive('jobs', { max: 10 });
    expect(await q.stats('jobs')).toMatchObject({ visible: 0, inFlight: 2, receiveCounts: {} });
  });

  it('5. a receiver that dies between its pull and its NAK leaves the message hidden for the queue\'s timeout', async () => {
    const q = backend.queues;
    await q.create('jobs', { visibilityTimeoutMs: 2000 });
    await q.send('jobs', [{ body: 'a' }]);
    // What a receive asking for a 100 ms visibility does first: the pull. Its NAK never comes.
    const names = new JetStreamNames(namespace);
    const pulled = await client.pull(names.queueStream('jobs'), 'r', { batch: 1, expiresMs: 1 });
    expect(pulled).toHaveLength(1);
    await sleep(500);
    expect(await q.receive('jobs')).toEqual([]);
    const [again] = await q.receive('jobs', { waitMs: 5000 });
    expect(again).toMatchObject({ body: 'a', receiveCount: 2 });
  });

  it('6. a record\'s arrival time is the shard leader\'s clock, not the putting process\'s', async () => {
    const skewed = jetStreamBackend({ namespace, clock: { now: () => Date.now() + 3_600_000 } });
    try {
      await skewed.backend.streams.create('ev');
      const before = Date.now();
      await skewed.backend.streams.put('ev', [{ data: 'x', partitionKey: 'k' }]);
      const { records } = await backend.streams.read('ev', 'shardId-000000000000', { type: 'trim-horizon' });
      expect(records[0]!.arrivedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(records[0]!.arrivedAt).toBeLessThan(before + 60_000);
    } finally {
      await skewed.backend.close();
    }
  });

  it('7. durability is the cluster\'s: streams are replicated 3 ways whatever a queue\'s durability says', async () => {
    await backend.queues.create('jobs', { durability: 'none' });
    await backend.streams.create('ev', { durability: 'none' });
    const names = new JetStreamNames(namespace);
    for (const stream of [names.queueStream('jobs'), names.shardStream('ev', 0), `KV_${names.bucket}`]) {
      const info = await client.api<{ config: { num_replicas: number; storage: string } }>(`STREAM.INFO.${stream}`);
      expect([stream, info.config.num_replicas, info.config.storage]).toEqual([stream, 3, 'file']);
    }
  });
});
