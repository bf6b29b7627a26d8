// One record as one line of a segment file, and back. A line is JSON with its fields in a fixed order,
// the checksum last, and a newline:
//
//   {"s":"<33-digit sequence>","t":<arrival ms>,"k":<partition key>,"d":<data>,"c":"<8 hex digits>"}\n
//
// The checksum (checksum.ts) covers the bytes from "{" up to the closing quote of "d", so a line that is
// torn, overwritten or garbled is detected, not guessed at. Decoding reads the fields at their places
// (JSON.parse only for a string with escapes), because replay decodes every line it prints. Pure.
import { murmur3, viewOf } from './checksum.js';

// `,"c":"` + 8 hex digits + `"}` + newline.
const SUFFIX_BYTES = 17;
const HEX = '0123456789abcdef';
const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

// Builds the lines of one append in one growing buffer, so a batch is written with one call.
export class LineWriter {
  buffer: Buffer;
  private view: DataView;
  length = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
    this.view = viewOf(this.buffer);
  }

  // Appends one line; `keyJson` and `dataJson` are the JSON-encoded strings (JSON.stringify).
  append(sequence: string, arrivedAt: number, keyJson: string, dataJson: string): void {
    const head = `{"s":"${sequence}","t":${arrivedAt},"k":${keyJson},"d":${dataJson}`;
    this.reserve(head.length * 3 + SUFFIX_BYTES);
    const start = this.length;
    const end = start + this.buffer.write(head, start);
    const sum = murmur3(this.buffer, this.view, start, end);
    const b = this.buffer;
    b[end] = COMMA;
    b[end + 1] = QUOTE;
    b[end + 2] = 0x63; // c
    b[end + 3] = QUOTE;
    b[end + 4] = 0x3a; // :
    b[end + 5] = QUOTE;
    for (let i = 0; i < 8; i++) b[end + 6 + i] = HEX_CODES[(sum >>> (28 - 4 * i)) & 15]!;
    b[end + 14] = QUOTE;
    b[end + 15] = 0x7d; // }
    b[end + 16] = NEWLINE;
    this.length = end + SUFFIX_BYTES;
  }

  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
    this.view = viewOf(grown);
  }
}

export interface DecodedLine {
  sequence: string;
  arrivedAt: number;
  partitionKey: string;
  data: string;
}

// Decodes the lines of one buffer. Lines are visited in increasing order, which lets it find escapes
// with one forward search per buffer instead of one per line.
export class LineDecoder {
  readonly view: DataView;
  private nextBackslash = -1;

  constructor(readonly buffer: Buffer, private readonly limit = buffer.length) {
    this.view = viewOf(buffer);
  }

  // Whether the line [start, newline] is whole and undamaged: its checksum matches its bytes.
  verify(start: number, newline: number): boolean {
    const end = newline - SUFFIX_BYTES + 1;
    if (end <= start + 1) return false;
    const b = this.buffer;
    if (b[end] !== COMMA || b[end + 1] !== QUOTE || b[end + 2] !== 0x63 || b[end + 3] !== QUOTE || b[end + 4] !== 0x3a
      || b[end + 5] !== QUOTE || b[end + 14] !== QUOTE || b[end + 15] !== 0x7d) return false;
    let stored = 0;
    for (let i = 0; i < 8; i++) {
      const digit = hexValue(b[end + 6 + i]!);
      if (digit < 0) return false;
      stored = (stored << 4) | digit;
    }
    return murmur3(b, this.view, start, end) === stored >>> 0;
  }

  // The counter of a verified line (the last 20 digits of its sequence number).
  counter(start: number): number {
    return digitsAt(this.buffer, start + 19, start + 39);
  }

  // The arrival time of a verified line.
  arrivedAt(start: number): number {
    return digitsAt(this.buffer, start + 45, this.buffer.indexOf(COMMA, start + 45));
  }

  // All fields of a verified line [start, newline]; null when its shape is not this format's.
  decode(start: number, newline: number): DecodedLine | null {
    const b = this.buffer;
    if (b[start + 1] !== QUOTE || b[start + 2] !== 0x73 || b[start + 39] !== QUOTE || b[start + 42] !== 0x74) {
      return this.decodeSlow(start, newline);
    }
    const sequence = b.toString('latin1', start + 6, start + 39);
    let p = start + 45;
    let arrivedAt = 0;
    for (let c = b[p]!; c >= 0x30 && c <= 0x39; c = b[++p]!) arrivedAt = arrivedAt * 10 + (c - 0x30);
    // ,"k":"
    if (b[p] !== COMMA || b[p + 2] !== 0x6b || b[p + 5] !== QUOTE) return this.decodeSlow(start, newline);
    const keyStart = p + 6;
    let escaped = false;
    p = keyStart;
    for (let c = b[p]; c !== QUOTE; c = b[++p]) {
      if (c === BACKSLASH) {
        escaped = true;
        p++;
      }
      if (p >= newline) return this.decodeSlow(start, newline);
    }
    const keyEnd = p;
    // ","d":"
    const dataStart = keyEnd + 7;
    const dataEnd = newline - SUFFIX_BYTES;
    if (b[keyEnd + 3] !== 0x64 || b[dataStart - 1] !== QUOTE || b[dataEnd] !== QUOTE || dataEnd < dataStart) {
      return this.decodeSlow(start, newline);
    }
    const partitionKey = escaped ? (JSON.parse(b.toString('utf8', keyStart - 1, keyEnd + 1)) as string) : b.toString('utf8', keyStart, keyEnd);
    const data = this.hasBackslash(dataStart, dataEnd)
      ? (JSON.parse(b.toString('utf8', dataStart - 1, dataEnd + 1)) as string)
      : b.toString('utf8', dataStart, dataEnd);
    return { sequence, arrivedAt, partitionKey, data };
  }

  // Any valid JSON line with the four fields (for lines not laid out exactly as LineWriter writes).
  private decodeSlow(start: number, newline: number): DecodedLine | null {
    try {
      const value = JSON.parse(this.buffer.toString('utf8', start, newline)) as Record<string, unknown>;
      const { s, t, k, d } = value;
      if (typeof s !== 'string' || typeof t !== 'number' || typeof k !== 'string' || typeof d !== 'string') return null;
      return { sequence: s, arrivedAt: t, partitionKey: k, data: d };
    } catch {
      return null;
    }
  }

  private hasBackslash(from: number, to: number): boolean {
    if (this.nextBackslash < from) {
      const at = this.buffer.indexOf(BACKSLASH, from);
      this.nextBackslash = at === -1 || at >= this.limit ? Number.POSITIVE_INFINITY : at;
    }
    return this.nextBackslash < to;
  }
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function digitsAt(b: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (b[i]! - 0x30);
  return value;
}
