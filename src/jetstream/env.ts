// What the JetStream stores share: the client (one connection), the names of one namespace, its
// metadata bucket and the clock.
import type { Clock } from '../core/clock.js';
import type { JetStreamClient } from './client.js';
import type { MetaBucket } from './meta-bucket.js';
import type { JetStreamNames } from './names.js';

export interface JetStreamEnv {
  client: JetStreamClient;
  names: JetStreamNames;
  meta: MetaBucket;
  clock: Clock;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done);
  });

// Nanoseconds, as the JetStream API takes durations.
export const ns = (ms: number): number => Math.round(ms) * 1_000_000;
