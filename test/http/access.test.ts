// The rule every mq server follows: loopback without credentials, anything else only with them; on
// loopback, only requests addressed to a loopback name.
import { describe, expect, it } from 'vitest';
import { basicCredentials, checkListenAccess, credentialsMatch, hostHeaderAllowed, hostOfHeader, isLoopbackHost } from '../../src/http/access.js';
import { isMqError } from '../../src/core/errors.js';

describe('the access rule', () => {
  it('knows loopback addresses and names', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', '']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, false]);
    }
  });

  it('lets a server listen anywhere but loopback only with credentials', () => {
    expect(() => checkListenAccess('127.0.0.1', undefined, 'mq console')).not.toThrow();
    expect(() => checkListenAccess('0.0.0.0', new Map([['k', 's']]), 'mq console')).not.toThrow();
    let error: unknown;
    try {
      checkListenAccess('0.0.0.0', undefined, 'mq console');
    } catch (caught) {
      error = caught;
    }
    expect(isMqError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/mq console on 0\.0\.0\.0 needs credentials/);
  });

  it('answers on loopback only requests addressed to loopback (DNS rebinding), anywhere else any', () => {
    expect(['localhost:9325', '127.0.0.1:9325', '[::1]:9325', 'localhost'].map((h) => hostHeaderAllowed('127.0.0.1', h))).toEqual([true, true, true, true]);
    expect(['evil.example:9325', 'evil.example', '[2001:db8::1]:80'].map((h) => hostHeaderAllowed('127.0.0.1', h))).toEqual([false, false, false]);
    expect(hostHeaderAllowed('0.0.0.0', 'evil.example')).toBe(true);
    expect(hostOfHeader('[::1]:80')).toBe('[::1]');
    expect(hostOfHeader('example.com:80')).toBe('example.com');
  });

  it('reads HTTP Basic credentials and compares them whole', () => {
    const header = `Basic ${Buffer.from('ops:s3cr:et').toString('base64')}`;
    expect(basicCredentials(header)).toEqual({ user: 'ops', password: 's3cr:et' });
    expect(basicCredentials('Bearer x')).toBeNull();
    expect(basicCredentials(undefined)).toBeNull();
    const keys = new Map([['ops', 's3cr:et'], ['ci', 'other']]);
    expect(credentialsMatch(keys, 'ops', 's3cr:et')).toBe(true);
    expect(credentialsMatch(keys, 'ci', 'other')).toBe(true);
    expect(credentialsMatch(keys, 'ops', 'other')).toBe(false);
    expect(credentialsMatch(keys, 'ops', 's3cr:e')).toBe(false);
    expect(credentialsMatch(keys, 'op', 's3cr:et')).toBe(false);
    expect(credentialsMatch(keys, 'nobody', '\u0000no key nobody')).toBe(false);
  });
});
