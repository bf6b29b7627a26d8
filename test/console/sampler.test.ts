// The overview's sampler over a real store: queue rates from the growth of stored messages, stream put
// rates from the sequence numbers' advance, one sample shared by callers within the interval.
import { describe, expect, it } from 'vitest';
import { OverviewSampler } from '../../src/console/sampler.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { useFsStore } from '../helpers/fs-store.js';

const clock = new FakeClock();
const store = useFsStore(clock);

describe('the overview sampler', () => {
  it('gives queues in and out rates and streams a put rate from successive samples', async () => {
    await store().queues.create('jobs');
    await store().streams.create('events', { shardCount: 2 });
    const sampler = new OverviewSampler(store(), clock);
    const first = await sampler.latest();
    expect([first.queues[0]!.inPerSecond, first.streams[0]!.putPerSecond]).toEqual([null, null]);
    await store().queues.send('jobs', [{ body: 'a' }, { body: 'b' }, { body: 'c' }, { body: 'd' }]);
    await store().streams.put('events', Array.from({ length: 6 }, (_, i) => ({ data: String(i), partitionKey: `k${i}` })));
    clock.advance(2000);
    const second = await sampler.latest();
    expect([second.queues[0]!.inPerSecond, second.queues[0]!.outPerSecond, second.streams[0]!.putPerSecond]).toEqual([2, 0, 3]);
    await store().queues.receive('jobs', { max: 2, deleteOnReceive: true });
    await store().streams.splitShard('events', 'shardId-000000000000');
    await store().streams.put('events', [{ data: 'x', partitionKey: 'k0' }, { data: 'y', partitionKey: 'k1' }]);
    clock.advance(1000);
    const third = await sampler.latest();
    // Over the 5 s window: 4 stored then 2 (from the first sample: 0 to 2 over 3 s).
    expect(third.queues[0]!.visibleHistory).toEqual([0, 4, 2]);
    expect(third.streams[0]!.putPerSecond).toBeCloseTo(8 / 3);
    expect(third.streams[0]!.recordsHistory).toEqual([0, 6, 8]);
  });

  it('shares one sample between callers within the interval', async () => {
    await store().queues.create('jobs');
    const sampler = new OverviewSampler(store(), clock);
    const [a, b] = await Promise.all([sampler.latest(), sampler.latest()]);
    expect(a).toBe(b);
    await store().queues.send('jobs', [{ body: 'a' }]);
    expect(await sampler.latest()).toBe(a);
    clock.advance(1000);
    expect((await sampler.latest()).queues[0]!.stats.visible).toBe(1);
  });
});
