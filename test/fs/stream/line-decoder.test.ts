// Verifying and decoding segment lines (line-decoder.ts).
import { describe, expect, it } from 'vitest';
import { LineDecoder } from '../../../src/fs/stream/line-decoder.js';
import { LineWriter } from '../../../src/fs/stream/line-writer.js';
import { formatSequence } from '../../../src/core/sequence-numbers.js';

function encode(records: { counter: number; t: number; k: string; d: string | Uint8Array }[]): Buffer {
  const writer = new LineWriter(2, 16);
  for (const r of records) writer.append(r.counter, r.t, JSON.stringify(r.k), r.d);
  return Buffer.from(writer.bytes);
}

describe('the segment line decoder', () => {
  it('reads the counter and the arrival time of a verified line without decoding it', () => {
    const buffer = encode([{ counter: 123456789, t: 42, k: 'k', d: 'd' }]);
    const decoder = new LineDecoder(buffer);
    expect(decoder.verify(0, buffer.length - 1)).toBe(true);
    expect(decoder.counter(0)).toBe(123456789);
    expect(decoder.arrivedAt(0)).toBe(42);
  });

  it('detects a torn line: any prefix of a line fails verification', () => {
    const line = encode([{ counter: 1, t: 5, k: 'k', d: 'some data' }]);
    for (let cut = 1; cut < line.length - 1; cut++) {
      const torn = Buffer.concat([line.subarray(0, cut), Buffer.from('\n')]);
      expect([cut, new LineDecoder(torn).verify(0, torn.length - 1)]).toEqual([cut, false]);
    }
  });

  it('detects any changed byte by its checksum', () => {
    const line = encode([{ counter: 1, t: 5, k: 'k', d: 'some data' }]);
    for (let at = 0; at < line.length - 1; at++) {
      const damaged = Buffer.from(line);
      damaged[at] = damaged[at] === 0x41 ? 0x42 : 0x41;
      expect([at, new LineDecoder(damaged).verify(0, damaged.length - 1)]).toEqual([at, false]);
    }
  });

  it('decodes a valid line whose shape differs (fields reordered by another writer) through JSON', () => {
    const line = encode([{ counter: 1, t: 5, k: 'k', d: 'd' }]);
    const decoder = new LineDecoder(line);
    expect(decoder.decode(0, line.length - 1)).toEqual({ sequence: formatSequence(2, 1), arrivedAt: 5, partitionKey: 'k', data: 'd' });
    const odd = Buffer.from('{"t":5,"s":"100000000000200000000000000000001","k":"k","d":"d","c":"00000000"}\n');
    expect(new LineDecoder(odd).decode(0, odd.length - 1)).toEqual({ sequence: formatSequence(2, 1), arrivedAt: 5, partitionKey: 'k', data: 'd' });
  });
});
