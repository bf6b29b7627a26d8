// What the JetStream tests share: the cluster's URL (from the global setup) and backends on a fresh
// namespace each, whose streams and bucket are deleted after.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import { JetStreamClient } from '../../src/jetstream/client.js';
import { createJetStreamBackend, type JetStreamBackendOptions } from '../../src/jetstream/jetstream-backend.js';
import { JetStreamNames } from '../../src/jetstream/names.js';
import { parseNatsUrl } from '../../src/jetstream/nats-url.js';
import type { BackendFactory } from '../contract/backend-fixture.js';

export const NATS_URL = inject('natsUrl');

export function freshNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

// Deletes every JetStream stream of a namespace, its metadata bucket included.
export async function dropNamespace(url: string, namespace: string): Promise<void> {
  const names = new JetStreamNames(namespace);
  const client = new JetStreamClient(parseNatsUrl(url));
  try {
    const doomed = (await client.streamNames()).filter((s) => s === `KV_${names.bucket}` || names.streamPrefixes().some((p) => s.startsWith(p)));
    await Promise.all(doomed.map((stream) => client.api(`STREAM.DELETE.${stream}`).catch(() => undefined)));
  } finally {
    await client.close();
  }
}

export function jetStreamBackend(options: Partial<JetStreamBackendOptions> = {}): { backend: Backend; namespace: string; cleanup(): Promise<void> } {
  const namespace = options.namespace ?? freshNamespace();
  const backend = createJetStreamBackend({ url: NATS_URL, namespace, ...options });
  return {
    backend,
    namespace,
    cleanup: async () => {
      await backend.close();
      await dropNamespace(NATS_URL, namespace);
    },
  };
}

export const makeJetStreamBackend: BackendFactory = async () => {
  const { backend, cleanup } = jetStreamBackend();
  return { backend, cleanup };
};
