import { describe, expect, it } from 'vitest';
import { parseBackendUrl, redactUrl } from '../../src/core/backend-url.js';
import { codeOfSync } from '../helpers/error-codes.js';

describe('backend URLs', () => {
  it('reads the scheme, lower-case', () => {
    expect(parseBackendUrl('NATS://h1:4222,h2:4222')).toEqual({ scheme: 'nats', display: 'NATS://h1:4222,h2:4222' });
    expect(parseBackendUrl(' tls+nats://h1 ').scheme).toBe('tls+nats');
  });

  it('shows a URL without the credentials of any host, keeping the rest', () => {
    expect(redactUrl('nats://user:secret@h1:4222,token@h2:4222/path?x=1')).toBe('nats://h1:4222,h2:4222/path?x=1');
    expect(redactUrl('nats://h1:4222')).toBe('nats://h1:4222');
    expect(parseBackendUrl('nats://a:b@h1').display).toBe('nats://h1');
  });

  it('refuses what has no scheme', () => {
    for (const text of ['h1:4222', '', '://h1', '1nats://h1']) expect([text, codeOfSync(() => parseBackendUrl(text))]).toEqual([text, 'INVALID_ARGUMENT']);
  });
});
