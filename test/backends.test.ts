// The backend factory: a store directory opens the file store, a URL the engine its scheme names (none
// yet, so a clear refusal), and options naming both or neither are refused.
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

  it('refuses a URL whose scheme has no backend yet, naming the scheme and without the credentials', () => {
    expect(refusal({ url: 'nats://user:secret@h1:4222,h2:4222', namespace: 'mq' })).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'no backend for nats:// URLs yet: open a store directory (home) instead',
    });
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
