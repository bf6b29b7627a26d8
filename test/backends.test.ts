// The backend factory: a store directory opens the file store, a URL the engine its scheme names (NATS
// JetStream for nats:// and tls://, loaded on first use), and options naming both or neither are refused.
import { describe, expect, it } from 'vitest';
import { type OpenBackendOptions, openBackend } from '../src/backends.js';
import { MqError } from '../src/core/errors.js';
import { tempHome } from './helpers/tmp-home.js';

function refusal(options: OpenBackendOptions): { code: string; message: string } | null {
  try {
    openBackend(options);
    return null;
  } catch (error) {
    if (!(error instanceof MqError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('openBackend', () => {
  it('opens the file store on a directory', async () => {
    const backend = openBackend({ home: tempHome() });
    await backend.queues.create('jobs');
    expect((await backend.queues.list()).map((q) => q.name)).toEqual(['jobs']);
    await backend.close();
  });

  it('refuses a URL whose scheme has no backend, naming the scheme and without the credentials', () => {
    expect(refusal({ url: 'amqp://user:secret@h1:5672', namespace: 'mq' })).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'no backend for amqp:// URLs yet: open a store directory (home) instead',
    });
  });

  it('opens NATS JetStream for a nats:// or tls:// URL at once, without loading it, and checks the URL and namespace first', async () => {
    const backend = openBackend({ url: 'nats://user:secret@127.0.0.1:1,127.0.0.1:2', namespace: 'team-a' });
    expect(backend.traits.kind).toBe('jetstream');
    await backend.close();
    expect(openBackend({ url: 'tls://h1:4222' }).traits.kind).toBe('jetstream');
    const badHost = refusal({ url: 'nats://user:secret@h1:4222/path' });
    expect(badHost?.code).toBe('INVALID_ARGUMENT');
    expect(badHost?.message).not.toContain('secret');
    expect(refusal({ url: 'nats://h1:4222', namespace: 'no spaces' })?.code).toBe('INVALID_ARGUMENT');
  });

  it('reports an unreachable NATS cluster on first use as UNAVAILABLE, naming it without credentials', async () => {
    const backend = openBackend({ url: 'nats://user:secret@127.0.0.1:1', timeoutMs: 1000 });
    const failure = await backend.queues.list().then(() => null, (error: unknown) => error as MqError);
    expect(failure?.code).toBe('UNAVAILABLE');
    expect(failure?.message).toContain('nats://127.0.0.1:1');
    expect(failure?.message).not.toContain('secret');
    await backend.close();
  });

  it('refuses a URL that is not SCHEME://..., without echoing credentials', () => {
    const refused = refusal({ url: 'me:secret@h1' });
    expect(refused?.code).toBe('INVALID_ARGUMENT');
    expect(refused?.message).not.toContain('secret');
  });

  it('refuses both a directory and a URL, and neither', () => {
    const both = { home: '/tmp/x', url: 'nats://h1' } as unknown as OpenBackendOptions;
    expect(refusal(both)?.message).toBe('give a store directory (home) or an engine URL (url), not both');
    expect(refusal({} as OpenBackendOptions)?.message).toBe('give a store directory (home) or an engine URL (url)');
  });
});
