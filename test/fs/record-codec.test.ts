import { describe, expect, it } from 'vitest';
import { LineDecoder, LineWriter } from '../../src/fs/stream/record-codec.js';
import { murmur3, viewOf } from '../../src/fs/stream/checksum.js';
import { formatSequence } from '../../src/core/sequence-numbers.js';

function encode(records: { counter: number; t: number; k: string; d: string }[]): Buffer {
  const writer = new LineWriter(16);
  for (const r of records) writer.append(formatSequence(2, r.counter), r.t, JSON.stringify(r.k), JSON.stringify(r.d));
  return Buffer.from(writer.bytes);
}

// Every line of `buffer` as [verified, decoded].
function decodeAll(buffer: Buffer) {
  const decoder = new LineDecoder(buffer);
  const lines = [];
  let start = 0;
  for (let nl = buffer.indexOf(10); nl !== -1; nl = buffer.indexOf(10, start)) {
    lines.push(decoder.verify(start, nl) ? decoder.decode(start, nl) : null);
    start = nl + 1;
  }
  return lines;
}

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

describe('the segment line codec', () => {
  it('writes one JSON line per record with its fields in order and the checksum last', () => {
    const line = encode([{ counter: 5, t: 1767225600000, k: 'user-1', d: 'hello' }]).toString();
    expect(line).toMatch(/^\{"s":"100000000000200000000000000000005","t":1767225600000,"k":"user-1","d":"hello","c":"[0-9a-f]{8}"\}\n$/);
    expect(JSON.parse(line)).toMatchObject({ s: '100000000000200000000000000000005', t: 1767225600000, k: 'user-1', d: 'hello' });
  });

  it('round-trips data byte for byte: quotes, backslashes, newlines, control characters, Unicode, lone surrogates', () => {
    const datas = ['', 'plain', '{"json":"line","n":[1,2]}', 'back\\slash', 'two\nlines\r\n', '\u0000\u001f\t', 'é 日本 😀', '\ud800 lone', 'x'.repeat(100_000), '\u2028\u2029'];
    const records = datas.map((d, i) => ({ counter: i + 1, t: 1000 + i, k: i % 2 ? 'k"ey\\' : 'ключ', d }));
    const decoded = decodeAll(encode(records));
    expect(decoded).toEqual(records.map((r) => ({ sequence: formatSequence(2, r.counter), arrivedAt: r.t, partitionKey: r.k, data: r.d })));
  });

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
