// Encoding records as segment lines (line-writer.ts), checked by decoding them back.
import { describe, expect, it } from 'vitest';
import { LineDecoder } from '../../../src/fs/stream/line-decoder.js';
import { LineWriter, needsEscaping } from '../../../src/fs/stream/line-writer.js';
import { viewOf } from '../../../src/fs/stream/checksum.js';
import { formatSequence } from '../../../src/core/sequence-numbers.js';

function encode(records: { counter: number; t: number; k: string; d: string | Uint8Array }[]): Buffer {
  const writer = new LineWriter(2, 16);
  for (const r of records) writer.append(r.counter, r.t, JSON.stringify(r.k), r.d);
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

describe('the segment line writer', () => {
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

  it('stores data given as bytes as it is, escaping only what JSON must', () => {
    const datas = ['plain bytes', 'with "quotes"', 'tab\there', 'é 日本 😀'];
    const decoded = decodeAll(encode(datas.map((d, i) => ({ counter: i + 1, t: 7, k: 'k', d: Buffer.from(d) }))));
    expect(decoded.map((line) => line?.data)).toEqual(datas);
  });

  it('numbers consecutive lines by counting up in place, and restarts the prefix for a jump or a new time', () => {
    const decoded = decodeAll(encode([
      { counter: 9, t: 1, k: 'k', d: 'a' }, { counter: 10, t: 1, k: 'k', d: 'b' }, { counter: 99_999, t: 1, k: 'k', d: 'c' },
      { counter: 100_000, t: 1, k: 'k', d: 'd' }, { counter: 100_001, t: 2, k: 'k', d: 'e' },
    ]));
    expect(decoded.map((line) => [line?.sequence.slice(-6), line?.arrivedAt])).toEqual([
      ['000009', 1], ['000010', 1], ['099999', 1], ['100000', 1], ['100001', 2],
    ]);
    const writer = new LineWriter(2);
    writer.append(5, 1, '"k"', 'x');
    writer.append(6, 1, '"k"', 'y');
    expect(writer.sequences()).toEqual([formatSequence(2, 5), formatSequence(2, 6)]);
  });

  it('writes a line from bytes of a bigger buffer (appendLine) exactly as append writes the same record', () => {
    const datas = ['', 'a', 'abcd', 'plain text é 日本 😀', 'quote " here', 'back\\slash', 'ctl \u0001\u001f', 'new\nline', '\u007f~', 'x'.repeat(301)];
    for (let offset = 0; offset < 5; offset++) {
      const bulk = new LineWriter(3, 8);
      const one = new LineWriter(3, 8);
      const parts = datas.map((d) => Buffer.from(d));
      const source = Buffer.concat([Buffer.alloc(offset, 0x22), ...parts.flatMap((p) => [p, Buffer.from('"')])]);
      let at = offset;
      parts.forEach((part, i) => {
        const key = i % 2 === 0 ? 'k' : 'ké "q"';
        bulk.appendLine(7 + i, 1000, Buffer.from(JSON.stringify(key)), source, viewOf(source), at, at + part.length);
        one.append(7 + i, 1000, JSON.stringify(key), part);
        at += part.length + 1;
      });
      expect(Buffer.from(bulk.bytes).toString()).toBe(Buffer.from(one.bytes).toString());
    }
  });

  it('finds what JSON must escape in a string at any byte position', () => {
    const check = (text: string) => {
      const bytes = Buffer.from(`..${text}..`);
      return needsEscaping(bytes, viewOf(bytes), 2, bytes.length - 2);
    };
    expect(check('plain text é 日本 😀 ~ and DEL \u007f')).toBe(false);
    for (let at = 0; at < 9; at++) {
      for (const special of ['"', '\\', '\n', '\t', '\u0000', '\u001f']) {
        const text = 'abcdefghi'.slice(0, at) + special + 'abcdefghi'.slice(at);
        expect([text, check(text)]).toEqual([text, true]);
      }
    }
    expect(check('abcdefghi')).toBe(false);
    expect(check(' !#[]{}/\u0080\u00ff')).toBe(false);
  });
});

describe('binary data in segment lines', () => {
  const binary = Uint8Array.from([0xff, 0xfe, 0x00, 0x0a, 0x22, 0x80, 0x41]);

  it('writes bytes that are not UTF-8 as base64 in "b", checksummed like "d", and keeps UTF-8 bytes as text', () => {
    const buffer = encode([{ counter: 1, t: 7, k: 'k', d: binary }, { counter: 2, t: 7, k: 'k', d: Buffer.from('text é') }]);
    const [first, second] = buffer.toString('latin1').trim().split('\n');
    expect(first).toMatch(new RegExp(`^\\{"s":"${formatSequence(2, 1)}","t":7,"k":"k","b":"${Buffer.from(binary).toString('base64').replace(/\+/g, '\\+')}","c":"[0-9a-f]{8}"\\}$`));
    expect(second).toContain('"d":"text');
    expect(decodeAll(buffer)).toEqual([
      { sequence: formatSequence(2, 1), arrivedAt: 7, partitionKey: 'k', data: Buffer.from(binary).toString('base64'), dataEncoding: 'base64' },
      { sequence: formatSequence(2, 2), arrivedAt: 7, partitionKey: 'k', data: 'text é' },
    ]);
  });

  it('reads binary data back as its bytes, and copies the bytes out', () => {
    const buffer = encode([{ counter: 1, t: 7, k: 'k', d: binary }]);
    const decoder = new LineDecoder(buffer);
    const newline = buffer.length - 1;
    expect(decoder.verify(0, newline)).toBe(true);
    expect(Buffer.from(decoder.bytesRecord(0, newline, 'shardId-000000000002')!.data)).toEqual(Buffer.from(binary));
    const target = Buffer.alloc(64);
    const copied = decoder.copyData(0, newline, target, viewOf(target), 3);
    expect(target.subarray(3, 3 + copied)).toEqual(Buffer.from(binary));
  });

  it('detects a changed base64 character by the checksum', () => {
    const buffer = encode([{ counter: 1, t: 7, k: 'k', d: binary }]);
    const at = buffer.indexOf('"b":"') + 6;
    buffer[at] = buffer[at] === 0x41 ? 0x42 : 0x41;
    expect(new LineDecoder(buffer).verify(0, buffer.length - 1)).toBe(false);
  });

  it('decodes a binary line of another field order through JSON', () => {
    const odd = Buffer.from('{"t":5,"s":"100000000000200000000000000000001","k":"k","b":"/w==","c":"00000000"}\n');
    const decoder = new LineDecoder(odd);
    expect(decoder.decode(0, odd.length - 1)).toEqual({ sequence: formatSequence(2, 1), arrivedAt: 5, partitionKey: 'k', data: '/w==', dataEncoding: 'base64' });
    expect(Buffer.from(decoder.bytesRecord(0, odd.length - 1, 's')!.data)).toEqual(Buffer.from([0xff]));
  });
});
