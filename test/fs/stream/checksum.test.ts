// The per-line checksum of segment files (checksum.ts).
import { describe, expect, it } from 'vitest';
import { murmur3, viewOf } from '../../../src/fs/stream/checksum.js';

describe('checksum', () => {
  it('is MurmurHash3 x86 32-bit with seed 0 (reference vectors)', () => {
    const hash = (text: string) => {
      const bytes = Buffer.from(text);
      return murmur3(bytes, viewOf(bytes), 0, bytes.length);
    };
    expect(hash('')).toBe(0);
    expect(hash('hello')).toBe(0x248bfa47);
    expect(hash('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(hash('abc')).toBe(0xb3dd93fa);
  });
});
