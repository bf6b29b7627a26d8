// Encoding records as segment lines (line-format.ts): a batch is built in one buffer and written with one
// call. Data that needs no JSON escaping (the common case) is copied as it is. Pure.
import { murmur3, viewOf } from './checksum.js';
import { sequencePrefix } from '../../core/sequence-numbers.js';
import { BACKSLASH, COLON, COMMA, COUNTER_AT, DATA_FIELD_BYTES, HEX_CODES, NEWLINE, QUOTE, SEQUENCE_AT, SEQUENCE_END, SUFFIX_BYTES } from './line-format.js';

// Builds the lines of one append in one growing buffer, so a batch is written with one call. The start of
// a line (sequence, arrival time) is kept as bytes and only its counter digits change from one record to
// the next, so consecutive records cost no number formatting.
export class LineWriter {
  buffer: Buffer;
  private view: DataView;
  length = 0;
  private prefix: Buffer;
  private prefixView: DataView;
  private counter = -2;
  private arrivedAt = -1;
  private readonly starts: number[] = [];

  // `buffer` may be a scratch buffer reused from an earlier batch (touching fresh memory for every batch
  // costs page faults); it grows when a batch needs more.
  constructor(private readonly shardIndex: number, buffer: Buffer | number = 64 * 1024) {
    this.buffer = typeof buffer === 'number' ? Buffer.allocUnsafe(buffer) : buffer;
    this.view = viewOf(this.buffer);
    this.prefix = Buffer.alloc(0);
    this.prefixView = viewOf(this.prefix);
  }

  // Appends one line. `keyJson` is the JSON-encoded partition key (text, or its UTF-8 bytes); `data` is
  // text or valid UTF-8 bytes.
  append(counter: number, arrivedAt: number, keyJson: string | Uint8Array, data: string | Uint8Array): void {
    this.startLine(counter, arrivedAt);
    const dataBytes = typeof data === 'string' ? data.length * 3 : data.length;
    this.reserve(this.prefix.length + keyJson.length * 3 + DATA_FIELD_BYTES + dataBytes * 2 + 2 + SUFFIX_BYTES);
    const b = this.buffer;
    const start = this.length;
    let at = this.writePrefix(start);
    at = typeof keyJson === 'string' ? this.writeAscii(keyJson, at) : this.writeBytes(keyJson, at);
    at = this.writeDataField(at);
    const dataStart = at;
    at = typeof data === 'string' ? at + b.write(data, at) : (b.set(data, at), at + data.length);
    // A string with a lone surrogate has no UTF-8 form (writing it would make U+FFFD): JSON escapes it.
    if (needsEscaping(b, this.view, dataStart, at) || (typeof data === 'string' && !isWellFormed(data))) {
      const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
      at = this.writeEscaped(text, start, dataStart);
    }
    this.buffer[at++] = QUOTE;
    this.finishLine(start, at);
    this.starts.push(start);
  }

  // Appends one line whose data is bytes [from, to) of `source` (valid UTF-8; `sourceView` a DataView
  // over it) and whose partition key is `keyJson`, JSON-encoded, as bytes: the bulk path, which copies
  // four bytes at a time and looks for what JSON must escape while it copies. (sequences() does not
  // cover lines appended this way: their counters are the caller's.)
  appendLine(counter: number, arrivedAt: number, keyJson: Uint8Array, source: Uint8Array, sourceView: DataView, from: number, to: number): void {
    this.startLine(counter, arrivedAt);
    const length = to - from;
    this.reserve(this.prefix.length + keyJson.length + DATA_FIELD_BYTES + length + 2 + SUFFIX_BYTES);
    const b = this.buffer;
    const view = this.view;
    const start = this.length;
    let at = this.writePrefix(start);
    at = this.writeBytes(keyJson, at);
    at = this.writeDataField(at);
    const dataStart = at;
    let special = 0;
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      const w = sourceView.getInt32(from + i, true);
      view.setInt32(at + i, w, true);
      const quote = w ^ 0x22222222;
      const backslash = w ^ 0x5c5c5c5c;
      special |= ((w - 0x20202020) & ~w) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash);
    }
    for (; i < length; i++) {
      const c = source[from + i]!;
      b[at + i] = c;
      if (c < 0x20 || c === QUOTE || c === BACKSLASH) special = -1;
    }
    at += length;
    if (special & 0x80808080) {
      // Rare: quotes, backslashes or control characters. Write the JSON-escaped form instead.
      at = this.writeEscaped(Buffer.from(source.buffer, source.byteOffset + from, length).toString('utf8'), start, dataStart);
    }
    this.buffer[at++] = QUOTE;
    this.finishLine(start, at);
  }

  // The prefix (sequence number and arrival time, through `"k":`) at `at`; returns where it ends.
  private writePrefix(at: number): number {
    const { prefix, prefixView, buffer: b, view } = this;
    const length = prefix.length;
    let i = 0;
    for (; i + 4 <= length; i += 4) view.setInt32(at + i, prefixView.getInt32(i, true), true);
    for (; i < length; i++) b[at + i] = prefix[i]!;
    return at + length;
  }

  // ,"d":"
  private writeDataField(at: number): number {
    const b = this.buffer;
    b[at] = COMMA;
    b[at + 1] = QUOTE;
    b[at + 2] = 0x64;
    b[at + 3] = QUOTE;
    b[at + 4] = COLON;
    b[at + 5] = QUOTE;
    return at + DATA_FIELD_BYTES;
  }

  // Rewrites the data of the line started at `start` from `dataStart` on as the JSON-escaped `text`.
  private writeEscaped(text: string, start: number, dataStart: number): number {
    const escaped = JSON.stringify(text);
    this.reserve(dataStart - start + escaped.length * 3 + SUFFIX_BYTES, dataStart);
    return dataStart + this.buffer.write(escaped.slice(1, -1), dataStart);
  }

  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  // The sequence numbers of the lines written, in order.
  sequences(): string[] {
    return this.starts.map((start) => this.buffer.toString('latin1', start + SEQUENCE_AT, start + SEQUENCE_END));
  }

  private startLine(counter: number, arrivedAt: number): void {
    if (arrivedAt !== this.arrivedAt || counter !== this.counter + 1) {
      this.prefix = Buffer.from(`{"s":"${sequencePrefix(this.shardIndex)}${String(counter).padStart(20, '0')}","t":${arrivedAt},"k":`, 'latin1');
      this.prefixView = viewOf(this.prefix);
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

  // Copies a few bytes (a key) byte by byte: cheaper for short ones than a call.
  private writeBytes(bytes: Uint8Array, at: number): number {
    const b = this.buffer;
    for (let i = 0; i < bytes.length; i++) b[at++] = bytes[i]!;
    return at;
  }

  private finishLine(start: number, end: number): void {
    const b = this.buffer;
    const sum = murmur3(b, this.view, start, end);
    b[end] = COMMA;
    b[end + 1] = QUOTE;
    b[end + 2] = 0x63; // c
    b[end + 3] = QUOTE;
    b[end + 4] = COLON;
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

