// The store's metrics, read through the Backend: every number checked against what the stores report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { renderExposition } from '../../src/metrics/exposition.js';
import { readStore, storeFamilies } from '../../src/metrics/store-metrics.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';

let home: string;
let backend: Backend;
const clock = new FakeClock();

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-metrics-'));
  backend = createFsBackend({ home, clock });
});

afterEach(async () => {
  await backend.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('store metrics', () => {
  it('gives each queue its messages by state, oldest age and dead-letter depth', async () => {
    const { queues } = backend;
    await queues.create('jobs-dead');
    await queues.create('jobs', { deadLetter: { queue: 'jobs-dead', maxReceives: 1 } });
    await queues.send('jobs', [{ body: 'a' }, { body: 'b' }, { body: 'c', delayMs: 60_000 }]);
    await queues.send('jobs-dead', [{ body: 'dead' }]);
    clock.advance(1500);
    await queues.receive('jobs', { max: 1 });
    const families = parsePrometheusText(renderExposition(storeFamilies(await readStore(backend), clock.now())));
    const messages = (queue: string, state: string) => sampleValue(families, 'mq_queue_messages', { queue, state });
    expect([messages('jobs', 'visible'), messages('jobs', 'in_flight'), messages('jobs', 'delayed')]).toEqual([1, 1, 1]);
    expect(messages('jobs-dead', 'visible')).toBe(1);
    expect(sampleValue(families, 'mq_queue_oldest_message_age_seconds', { queue: 'jobs' })).toBe(1.5);
    expect(sampleValue(families, 'mq_queue_dead_letter_messages', { queue: 'jobs', dead_letter_queue: 'jobs-dead' })).toBe(1);
    expect(sampleValue(families, 'mq_queue_dead_letter_messages', { queue: 'jobs-dead', dead_letter_queue: '' })).toBeUndefined();
    for (const name of ['mq_queue_messages', 'mq_queue_oldest_message_age_seconds', 'mq_queue_dead_letter_messages']) {
      expect(families.get(name)!.type).toBe('gauge');
    }
  });

  it('gives each stream its shards, and each shard its records, bytes, newest arrival and every group\'s lag', async () => {
    const { streams } = backend;
    await streams.create('events', { shardCount: 2 });
    await streams.put('events', [{ data: 'one', explicitHashKey: '0' }, { data: 'two', explicitHashKey: '0' }]);
    await streams.setCheckpoint('events', 'billing', 'shardId-000000000000', { sentinel: 'TRIM_HORIZON' });
    clock.advance(2000);
    await streams.splitShard('events', 'shardId-000000000001');
    const description = await streams.describe('events');
    const families = parsePrometheusText(renderExposition(storeFamilies(await readStore(backend), clock.now())));
    expect(sampleValue(families, 'mq_stream_shards', { stream: 'events', state: 'open' })).toBe(3);
    expect(sampleValue(families, 'mq_stream_shards', { stream: 'events', state: 'closed' })).toBe(1);
    const shard0 = description.shards.find((s) => s.shardId === 'shardId-000000000000')!;
    const labels = { stream: 'events', shard: 'shardId-000000000000' };
    expect(sampleValue(families, 'mq_stream_shard_records', labels)).toBe(2);
    expect(sampleValue(families, 'mq_stream_shard_bytes', labels)).toBe(shard0.bytes);
    expect(sampleValue(families, 'mq_stream_shard_last_arrival_timestamp_seconds', labels)).toBe(shard0.lastArrivedAt! / 1000);
    // An empty shard has no newest arrival to give.
    expect(sampleValue(families, 'mq_stream_shard_last_arrival_timestamp_seconds', { stream: 'events', shard: 'shardId-000000000001' })).toBeUndefined();
    const lagLabels = { stream: 'events', group: 'billing', shard: 'shardId-000000000000' };
    expect(sampleValue(families, 'mq_stream_group_lag_records', lagLabels)).toBe(2);
    expect(sampleValue(families, 'mq_stream_group_lag_seconds', lagLabels)).toBe(2);
  });

  it('leaves out a queue removed while the store is read', async () => {
    await backend.queues.create('gone');
    const removing = { ...backend, queues: { ...backend.queues, list: backend.queues.list.bind(backend.queues), stats: async (name: string) => {
      await backend.queues.remove(name);
      return backend.queues.stats(name);
    } } } as unknown as Backend;
    expect((await readStore(removing)).queues).toEqual([]);
  });
});
