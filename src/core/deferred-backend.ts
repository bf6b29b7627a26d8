// A backend whose code loads on first use. openBackend is synchronous and every command opens a backend,
// so an engine reached by URL (with its client library) must cost nothing until a store method is
// called: `deferredBackend(traits, load)` returns at once, and the first call of any queue or stream method
// runs `load` (once; again after a load that failed) and then the real method. A backend closed before
// any use never loads. The engine's traits are known without loading it.
import type { Backend, BackendTraits } from './backend.js';
import type { QueueStore } from './queue-store.js';
import type { StreamStore } from './stream-store.js';

export function deferredBackend(traits: BackendTraits, load: () => Promise<Backend>): Backend {
  let loading: Promise<Backend> | undefined;
  const loaded = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  // Every store method returns a promise, so each can wait for the load and then call the real one.
  const store = <S extends object>(pick: (backend: Backend) => S): S => new Proxy({} as S, {
    get(_target, method) {
      // Not a method: a promise check (`then`) or a symbol must not look like a store method.
      if (typeof method !== 'string' || method === 'then') return undefined;
      return (...args: unknown[]) => loaded().then((backend) => {
        const target = pick(backend) as Record<string, (...a: unknown[]) => unknown>;
        return target[method]!(...args);
      });
    },
  });
  return {
    queues: store<QueueStore>((backend) => backend.queues),
    streams: store<StreamStore>((backend) => backend.streams),
    traits,
    async close() {
      const backend = await loading?.catch(() => undefined);
      await backend?.close();
    },
  };
}
