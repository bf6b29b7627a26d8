// The NATS JetStream backend: queues and streams of one namespace on a NATS cluster, over one connection
// made on first use. Loaded only when a URL is used (src/backends.ts), as it brings the NATS client.
import type { Backend } from '../core/backend.js';
import { type Clock, systemClock } from '../core/clock.js';
import { JetStreamClient } from './client.js';
import type { JetStreamEnv } from './env.js';
import { MetaBucket } from './meta-bucket.js';
import { DEFAULT_NAMESPACE, JetStreamNames } from './names.js';
import { parseNatsUrl } from './nats-url.js';
import { JetStreamQueueStore } from './queue/js-queue-store.js';
import { JetStreamStreamStore } from './stream/js-stream-store.js';
import { JETSTREAM_TRAITS } from './traits.js';

export interface JetStreamBackendOptions {
  // nats://host:port[,host:port...], credentials as user:password@ or token@.
  url: string;
  // Prefixes every stream, subject and bucket mq makes (default "mq").
  namespace?: string;
  clock?: Clock;
  // How long a request may go unanswered (no leader, node down) before UNAVAILABLE (default 30 s).
  unavailableAfterMs?: number;
}

export function createJetStreamBackend(options: JetStreamBackendOptions): Backend {
  const url = parseNatsUrl(options.url);
  const names = new JetStreamNames(options.namespace ?? DEFAULT_NAMESPACE);
  const client = new JetStreamClient(url, options.unavailableAfterMs !== undefined ? { unavailableAfterMs: options.unavailableAfterMs } : {});
  const env: JetStreamEnv = { client, names, meta: new MetaBucket(client, names.bucket), clock: options.clock ?? systemClock };
  return {
    queues: new JetStreamQueueStore(env),
    streams: new JetStreamStreamStore(env),
    traits: JETSTREAM_TRAITS,
    close: () => client.close(),
  };
}
