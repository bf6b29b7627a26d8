import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdFactory, decodeTime, idFromNumber, isId } from '../../src/core/ids.js';

describe('ids', () => {
  it('are ULIDs whose time part is the time they were made at', () => {
    for (const at of [0, 1, Date.UTC(2026, 10, 27, 6, 51, 30, 123), 2 ** 48 - 1]) {
      const id = createIdFactory(randomBytes)(at);
      expect(isId(id)).toBe(true);
      expect(decodeTime(id)).toBe(at);
    }
  });

  it('sort by time across milliseconds and by creation within one', () => {
    const next = createIdFactory(randomBytes);
    const ids = [1000, 1000, 1000, 1001, 1001, 5000].map((t) => next(t));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carry the random part over when the clock goes back, so order holds', () => {
    const next = createIdFactory(randomBytes);
    const a = next(2000);
    const b = next(1999);
    expect(b > a).toBe(true);
    expect(decodeTime(b)).toBe(2000);
  });

  it('increment across a run of maximal digits', () => {
    const next = createIdFactory(() => new Uint8Array(10).fill(0xff));
    const first = next(7);
    expect(first.slice(10)).toBe('ZZZZZZZZZZZZZZZZ');
    expect(() => next(7)).toThrow(/too many ids in one millisecond/);
    const zeros = createIdFactory(() => new Uint8Array(10).fill(0));
    expect(zeros(7).slice(10)).toBe('0000000000000000');
    expect(zeros(7).slice(10)).toBe('0000000000000001');
  });

  it('use the random bits they are given, so two processes do not collide', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(createIdFactory(randomBytes)(1_767_225_600_000));
    expect(seen.size).toBe(200);
  });
});

describe('idFromNumber', () => {
  it('makes the same valid id from the same time and number, ordered by the number', () => {
    const a = idFromNumber(1_700_000_000_000, 5n);
    expect(a).toBe(idFromNumber(1_700_000_000_000, 5n));
    expect(isId(a)).toBe(true);
    expect(decodeTime(a)).toBe(1_700_000_000_000);
    expect(a.endsWith('0000000000000005')).toBe(true);
    expect(idFromNumber(1_700_000_000_000, 6n) > a).toBe(true);
    expect(idFromNumber(1_700_000_000_000, 2n ** 64n) > idFromNumber(1_700_000_000_000, 2n ** 64n - 1n)).toBe(true);
  });
});
