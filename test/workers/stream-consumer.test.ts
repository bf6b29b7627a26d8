// The stream consumer in-process, over the file store, with handlers faked: batches handled and
// checkpointed, a failing batch run again, a fatal handler stopping the worker, and the events told.
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { StreamRecord } from '../../src/core/stream-types.js';
import type { HandlerOutcome } from '../../src/workers/handler.js';
import { type StreamConsumerEvent, describeStreamConsumerEvent } from '../../src/workers/events.js';
import { type StreamConsumerOptions, runStreamConsumer } from '../../src/workers/stream-consumer.js';
import { waitFor } from '../helpers/consume.js';
import { tempHome } from '../helpers/tmp-home.js';

let store: StreamStore;
let events: StreamConsumerEvent[];

beforeEach(async () => {
  store = createFsBackend({ home: tempHome(), durability: 'none' }).streams;
  events = [];
  await store.create('ev', { shardCount: 2 });
  await store.put('ev', Array.from({ length: 10 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })));
});

function consumer(handler: (records: StreamRecord[], shardId: string) => Promise<HandlerOutcome>, overrides: Partial<StreamConsumerOptions> = {}) {
  const stop = new AbortController();
  const report = runStreamConsumer({
    store, stream: 'ev', group: 'g', workerId: 'w1', start: { type: 'trim-horizon' }, failoverTimeoutMs: 1000,
    retry: { delayMs: 10, maxDelayMs: 40 }, signal: stop.signal, handler, onEvent: (event) => events.push(event), ...overrides,
  });
  return { stop: () => stop.abort(), report };
}

const checkpointed = async () => Object.values(await store.checkpoints('ev', 'g').catch(() => ({})))
  .filter((c) => 'sequence' in c).length;

describe('runStreamConsumer', () => {
  it('takes every shard, hands each batch to the handler and checkpoints it, then stops on its signal', async () => {
    const seen: string[] = [];
    const run = consumer(async (records) => {
      seen.push(...records.map((r) => r.data));
      return { ok: true };
    });
    await waitFor(async () => seen.length === 10 && (await checkpointed()) === 2, () => `seen ${seen.length}`);
    run.stop();
    const report = await run.report;
    expect(report).toMatchObject({ records: 10, failedRuns: 0, shardsTaken: 2, interrupted: true });
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`).sort());
    expect(events.filter((e) => e.type === 'leaseTaken').map((e) => e.shardId).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(events.filter((e) => e.type === 'processed').reduce((n, e) => n + (e.type === 'processed' ? e.records : 0), 0)).toBe(10);
    expect((await store.leases('ev', 'g')).every((lease) => lease.owner === null)).toBe(true);
  });

  it('runs a failing batch again, with backoff, until it succeeds; a handler that throws has failed', async () => {
    let runs = 0;
    const run = consumer(async (_records, shardId) => {
      if (shardId === 'shardId-000000000000' && ++runs <= 2) throw new Error(`try ${runs}`);
      return { ok: true };
    });
    await waitFor(async () => (await checkpointed()) === 2);
    run.stop();
    const report = await run.report;
    expect(report.failedRuns).toBe(2);
    const failed = events.filter((e) => e.type === 'failed').map(describeStreamConsumerEvent);
    expect(failed).toEqual([
      expect.stringMatching(/^shardId-000000000000: handler threw: try 1; the batch of \d+ is retried in 10ms$/),
      expect.stringMatching(/^shardId-000000000000: handler threw: try 2; the batch of \d+ is retried in 20ms$/),
    ]);
  });

  it('stops, keeping the checkpoints, when the handler cannot work at all', async () => {
    const run = consumer(async () => ({ ok: false, reason: 'command not found', fatal: true }));
    const report = await run.report;
    expect(report).toMatchObject({ records: 0, fatal: { reason: 'command not found' } });
    expect(await checkpointed()).toBe(0);
  });

  it('refuses a failover timeout under 1 s and a bad worker id before touching the store', async () => {
    await expect(consumer(async () => ({ ok: true }), { failoverTimeoutMs: 500 }).report).rejects.toThrow(/at least 1s/);
    await expect(consumer(async () => ({ ok: true }), { workerId: 'a b' }).report).rejects.toThrow(/invalid consumer group name/);
  });
});
