// deferredBackend: the engine's code loads on the first store call, once, and not at all for a backend
// closed unused; a failed load is tried again by the next call.
import { describe, expect, it } from 'vitest';
import { type Backend, FILE_STORE_TRAITS } from '../../src/core/backend.js';
import { deferredBackend } from '../../src/core/deferred-backend.js';
import type { QueueStore } from '../../src/core/queue-store.js';
import type { StreamStore } from '../../src/core/stream-store.js';

function fakeBackend(calls: string[]): Backend {
  return {
    queues: { list: async (prefix?: string) => { calls.push(`queues.list ${prefix}`); return []; } } as unknown as QueueStore,
    streams: { list: async () => { calls.push('streams.list'); return []; } } as unknown as StreamStore,
    traits: FILE_STORE_TRAITS,
    close: async () => { calls.push('close'); },
  };
}

describe('deferredBackend', () => {
  it('loads on the first call, once, and then calls the real methods', async () => {
    const calls: string[] = [];
    let loads = 0;
    const backend = deferredBackend(FILE_STORE_TRAITS, async () => {
      loads++;
      return fakeBackend(calls);
    });
    expect(loads).toBe(0);
    await Promise.all([backend.queues.list('a'), backend.streams.list()]);
    await backend.queues.list('b');
    expect(loads).toBe(1);
    expect(calls).toEqual(['queues.list a', 'streams.list', 'queues.list b']);
    await backend.close();
    expect(calls.at(-1)).toBe('close');
  });

  it('never loads a backend closed unused, and its stores are not thenables', async () => {
    let loads = 0;
    const backend = deferredBackend(FILE_STORE_TRAITS, async () => {
      loads++;
      return fakeBackend([]);
    });
    expect((backend.queues as unknown as { then?: unknown }).then).toBeUndefined();
    await backend.close();
    expect(loads).toBe(0);
  });

  it('passes a failed load to the call, and loads again on the next one', async () => {
    let loads = 0;
    const backend = deferredBackend(FILE_STORE_TRAITS, async () => {
      if (++loads === 1) throw new Error('server down');
      return fakeBackend([]);
    });
    await expect(backend.queues.list()).rejects.toThrow('server down');
    await expect(backend.queues.list()).resolves.toEqual([]);
    expect(loads).toBe(2);
    await backend.close();
  });
});
