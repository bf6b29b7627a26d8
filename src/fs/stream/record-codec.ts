// One record as one line of a segment file, and back. A line is JSON with its fields in a fixed order,
// the checksum last, and a newline:
//
//   {"s":"<33-digit sequence>","t":<arrival ms>,"k":<partition key>,"d":<data>,"c":"<8 hex digits>"}\n
//
// The checksum (checksum.ts) covers the bytes from "{" up to the closing quote of "d", so a line that is
// torn, overwritten or garbled is detected, not guessed at. Both directions work on bytes: data that
// needs no JSON escaping (the common case) is copied as it is, and decoding reads the fields at their
// places, with JSON.parse only for a string that has escapes. Pure.
import { isUtf8 } from 'node:buffer';
import { murmur3, viewOf } from './checksum.js';
import { sequencePrefix } from '../../core/sequence-numbers.js';
import type { StreamRecord } from '../../core/stream-types.js';

// `,"c":"` + 8 hex digits + `"}` + newline.
const SUFFIX_BYTES = 17;
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const DATA_FIELD_BYTES = 6;
// Where the 20 counter digits sit in a line: after `{"s":"` and the 13-digit shard prefix.
const COUNTER_AT = 19;

// Whether `bytes` are valid UTF-8, as record data given as bytes must be.
export function validUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

// Builds the lines of one append in one growing buffer, so a batch is written with one call. The start of
// a line (sequence, arrival time) is kept as bytes and only its counter digits change from one record to
// the next, so consecutive records cost no number formatting.
export class LineWriter {
  buffer: Buffer;
  private view: DataView;
  length = 0;
  private prefix: Buffer;
  private counter = -2;
  private arrivedAt = -1;
  private readonly starts: number[] = [];

  // `buffer` may be a scratch buffer reused from an earlier batch (touching fresh memory for every batch
  // costs page faults); it grows when a batch needs more.
  constructor(private readonly shardIndex: number, buffer: Buffer | number = 64 * 1024) {
    this.buffer = typeof buffer === 'number' ? Buffer.allocUnsafe(buffer) : buffer;
    this.view = viewOf(this.buffer);
    this.prefix = Buffer.alloc(0);
  }

  // Appends one line. `keyJson` is the JSON-encoded partition key; `data` is text or valid UTF-8 bytes.
  append(counter: number, arrivedAt: number, keyJson: string, data: string | Uint8Array): void {
    this.startLine(counter, arrivedAt);
    const dataBytes = typeof data === 'string' ? data.length * 3 : data.length;
    this.reserve(this.prefix.length + keyJson.length * 3 + DATA_FIELD_BYTES + dataBytes * 2 + 2 + SUFFIX_BYTES);
    const b = this.buffer;
    const start = this.length;
    b.set(this.prefix, start);
    let at = this.writeAscii(keyJson, start + this.prefix.length);
    // ,"d":"
    b[at] = COMMA;
    b[at + 1] = QUOTE;
    b[at + 2] = 0x64;
    b[at + 3] = QUOTE;
    b[at + 4] = 0x3a;
    b[at + 5] = QUOTE;
    at += DATA_FIELD_BYTES;
    const dataStart = at;
    at = typeof data === 'string' ? at + b.write(data, at) : (b.set(data, at), at + data.length);
    // A string with a lone surrogate has no UTF-8 form (writing it would make U+FFFD): JSON escapes it.
    if (needsEscaping(b, this.view, dataStart, at) || (typeof data === 'string' && !isWellFormed(data))) {
      // Rare: quotes, backslashes or control characters. Write the JSON-escaped form instead.
      const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
      const escaped = JSON.stringify(text);
      this.reserve(dataStart - start + escaped.length * 3 + SUFFIX_BYTES, dataStart);
      at = dataStart + this.buffer.write(escaped.slice(1, -1), dataStart);
    }
    this.buffer[at++] = QUOTE;
    this.finishLine(start, at);
    this.starts.push(start);
  }

  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  // The sequence numbers of the lines written, in order.
  sequences(): string[] {
    return this.starts.map((start) => this.buffer.toString('latin1', start + 6, start + 39));
  }

  private startLine(counter: number, arrivedAt: number): void {
    if (arrivedAt !== this.arrivedAt || counter !== this.counter + 1) {
      this.prefix = Buffer.from(`{"s":"${sequencePrefix(this.shardIndex)}${String(counter).padStart(20, '0')}","t":${arrivedAt},"k":`, 'latin1');
      this.arrivedAt = arrivedAt;
    } else {
      // Add one to the decimal digits in place.
      let i = COUNTER_AT + 19;
      while (this.prefix[i] === 0x39) this.prefix[i--] = 0x30;
      this.prefix[i]!++;
    }
    this.counter = counter;
  }

  // Writes a string of ASCII characters byte by byte (a short key is cheaper so than by a call), falling
  // back to UTF-8 encoding for anything else.
  private writeAscii(text: string, at: number): number {
    const b = this.buffer;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) return at - i + b.write(text, at - i);
      b[at++] = code;
    }
    return at;
  }

  private finishLine(start: number, end: number): void {
    const b = this.buffer;
    const sum = murmur3(b, this.view, start, end);
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

  // Makes room for `bytes` more after the complete lines, keeping the first `used` bytes.
  private reserve(bytes: number, used = this.length): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, used);
    this.buffer = grown;
    this.view = viewOf(grown);
  }
}

// String.prototype.isWellFormed (ES2024, in Node 20): false for a string with a lone surrogate.
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

// Whether bytes [from, to) hold anything JSON must escape in a string: a quote, a backslash or a control
// character. Four bytes at a time, with the usual tests for "some byte is zero / below n" on a word.
export function needsEscaping(b: Uint8Array, view: DataView, from: number, to: number): boolean {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const w = view.getUint32(i, true);
    const quote = w ^ 0x22222222;
    const backslash = w ^ 0x5c5c5c5c;
    if ((((w - 0x20202020) & ~w) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) & 0x80808080) return true;
  }
  for (; i < to; i++) {
    const c = b[i]!;
    if (c < 0x20 || c === QUOTE || c === BACKSLASH) return true;
  }
  return false;
}

export interface DecodedLine {
  sequence: string;
  arrivedAt: number;
  partitionKey: string;
  data: string;
}

// A record read with its data as bytes: a view into the buffer its segment was read into (never reused),
// with the sequence number and key decoded only when asked for, since copying records out needs neither.
export class BytesRecord implements StreamRecord<Uint8Array> {
  constructor(
    readonly shardId: string,
    readonly arrivedAt: number,
    readonly data: Uint8Array,
    private readonly buffer: Buffer,
    private readonly start: number,
    private readonly keyStart: number,
    private readonly keyEnd: number,
    private readonly keyEscaped: boolean,
  ) {}

  get sequence(): string {
    return this.buffer.toString('latin1', this.start + 6, this.start + 39);
  }

  get partitionKey(): string {
    const { buffer, keyStart, keyEnd } = this;
    return this.keyEscaped ? (JSON.parse(buffer.toString('utf8', keyStart - 1, keyEnd + 1)) as string) : buffer.toString('utf8', keyStart, keyEnd);
  }
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
    return digitsAt(this.buffer, start + COUNTER_AT, start + 39);
  }

  // The arrival time of a verified line: the digits after `"t":`.
  arrivedAt(start: number): number {
    const b = this.buffer;
    let value = 0;
    for (let p = start + 45, c = b[p]!; c >= 0x30 && c <= 0x39; c = b[++p]!) value = value * 10 + (c - 0x30);
    return value;
  }

  // All fields of a verified line [start, newline]; null when its shape is not this format's.
  decode(start: number, newline: number): DecodedLine | null {
    if (!this.locate(start, newline)) return this.decodeSlow(start, newline);
    const { at, buffer: b } = this;
    const partitionKey = at.keyEscaped ? (JSON.parse(b.toString('utf8', at.keyStart - 1, at.keyEnd + 1)) as string) : b.toString('utf8', at.keyStart, at.keyEnd);
    const data = this.hasBackslash(at.dataStart, at.dataEnd)
      ? (JSON.parse(b.toString('utf8', at.dataStart - 1, at.dataEnd + 1)) as string)
      : b.toString('utf8', at.dataStart, at.dataEnd);
    return { sequence: b.toString('latin1', start + 6, start + 39), arrivedAt: at.arrivedAt, partitionKey, data };
  }

  // A verified line as a record whose data is bytes (a view of this buffer unless it had escapes).
  bytesRecord(start: number, newline: number, shardId: string): StreamRecord<Uint8Array> | null {
    const { at, buffer: b } = this;
    if (!this.locate(start, newline)) {
      const line = this.decodeSlow(start, newline);
      return line && { shardId, ...line, data: Buffer.from(line.data) };
    }
    const data = this.hasBackslash(at.dataStart, at.dataEnd)
      ? Buffer.from(JSON.parse(b.toString('utf8', at.dataStart - 1, at.dataEnd + 1)) as string)
      : b.subarray(at.dataStart, at.dataEnd);
    return new BytesRecord(shardId, at.arrivedAt, data, b, start, at.keyStart, at.keyEnd, at.keyEscaped);
  }

  // Copies the data of a verified line (unescaped) into `target` at `at`: the bytes copied, -1 when
  // `target` has too little room, -2 when the line cannot be decoded.
  copyData(start: number, newline: number, target: Buffer, targetView: DataView, to: number): number {
    const located = this.locate(start, newline);
    const { dataStart, dataEnd } = this.at;
    let text: string | null = null;
    if (!located) text = this.decodeSlow(start, newline)?.data ?? null;
    else if (this.hasBackslash(dataStart, dataEnd)) text = JSON.parse(this.buffer.toString('utf8', dataStart - 1, dataEnd + 1)) as string;
    if (text === null && !located) return -2;
    // Room for one more byte (the newline) is left for the caller.
    if (text !== null) return Buffer.byteLength(text) + 1 > target.length - to ? -1 : target.write(text, to);
    const length = dataEnd - dataStart;
    if (length + 1 > target.length - to) return -1;
    // Four bytes at a time by hand: Buffer#copy allocates a view per call, which costs more for a short line.
    const { buffer: b, view } = this;
    let i = 0;
    for (; i + 4 <= length; i += 4) targetView.setInt32(to + i, view.getInt32(dataStart + i, true), true);
    for (; i < length; i++) target[to + i] = b[dataStart + i]!;
    return length;
  }

  // Where the fields of the line `locate` looked at last are (fields, not an object: this runs per line).
  private at = { arrivedAt: 0, keyStart: 0, keyEnd: 0, keyEscaped: false, dataStart: 0, dataEnd: 0 };

  // Finds the fields of a verified line, reading them at their places; false for another layout.
  private locate(start: number, newline: number): boolean {
    const b = this.buffer;
    if (b[start + 1] !== QUOTE || b[start + 2] !== 0x73 || b[start + 39] !== QUOTE || b[start + 42] !== 0x74) return false;
    let p = start + 45;
    let arrivedAt = 0;
    for (let c = b[p]!; c >= 0x30 && c <= 0x39; c = b[++p]!) arrivedAt = arrivedAt * 10 + (c - 0x30);
    // ,"k":"
    if (b[p] !== COMMA || b[p + 2] !== 0x6b || b[p + 5] !== QUOTE) return false;
    const keyStart = p + 6;
    let keyEscaped = false;
    p = keyStart;
    for (let c = b[p]; c !== QUOTE; c = b[++p]) {
      if (c === BACKSLASH) {
        keyEscaped = true;
        p++;
      }
      if (p >= newline) return false;
    }
    const keyEnd = p;
    // ","d":"
    const dataStart = keyEnd + 7;
    const dataEnd = newline - SUFFIX_BYTES;
    if (b[keyEnd + 3] !== 0x64 || b[dataStart - 1] !== QUOTE || b[dataEnd] !== QUOTE || dataEnd < dataStart) return false;
    const at = this.at;
    at.arrivedAt = arrivedAt;
    at.keyStart = keyStart;
    at.keyEnd = keyEnd;
    at.keyEscaped = keyEscaped;
    at.dataStart = dataStart;
    at.dataEnd = dataEnd;
    return true;
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
