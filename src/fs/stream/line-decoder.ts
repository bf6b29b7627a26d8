// Decoding segment lines (line-format.ts): verifying a line's checksum, reading its counter and arrival
// time in place, and decoding it as a record with its data as a string, as bytes, or copied straight into
// an output buffer; JSON.parse only for a string that has escapes. Binary data (the "b" field, base64) is
// bytes as bytes, and base64 text (with dataEncoding "base64") as a string. Pure.
import { murmur3, viewOf } from './checksum.js';
import type { StreamRecord } from '../../core/stream-types.js';
import {
  BACKSLASH, BINARY_FIELD, COLON, COMMA, COUNTER_AT, QUOTE, SEQUENCE_AT, SEQUENCE_END, SUFFIX_BYTES, TEXT_FIELD, TIME_AT, hexValue,
} from './line-format.js';

export interface DecodedLine {
  sequence: string;
  arrivedAt: number;
  partitionKey: string;
  // The data as text, or for binary data its base64 (with dataEncoding 'base64').
  data: string;
  dataEncoding?: 'base64';
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
    return this.buffer.toString('latin1', this.start + SEQUENCE_AT, this.start + SEQUENCE_END);
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
    if (b[end] !== COMMA || b[end + 1] !== QUOTE || b[end + 2] !== 0x63 || b[end + 3] !== QUOTE || b[end + 4] !== COLON
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
    return digitsAt(this.buffer, start + COUNTER_AT, start + SEQUENCE_END);
  }

  // The arrival time of a verified line: the digits after `"t":`.
  arrivedAt(start: number): number {
    const b = this.buffer;
    let value = 0;
    for (let p = start + TIME_AT, c = b[p]!; c >= 0x30 && c <= 0x39; c = b[++p]!) value = value * 10 + (c - 0x30);
    return value;
  }

  // All fields of a verified line [start, newline]; null when its shape is not this format's.
  decode(start: number, newline: number): DecodedLine | null {
    if (!this.locate(start, newline)) return this.decodeSlow(start, newline);
    const { at, buffer: b } = this;
    const partitionKey = at.keyEscaped ? (JSON.parse(b.toString('utf8', at.keyStart - 1, at.keyEnd + 1)) as string) : b.toString('utf8', at.keyStart, at.keyEnd);
    const sequence = b.toString('latin1', start + SEQUENCE_AT, start + SEQUENCE_END);
    if (at.binary) return { sequence, arrivedAt: at.arrivedAt, partitionKey, data: b.toString('latin1', at.dataStart, at.dataEnd), dataEncoding: 'base64' };
    const data = this.hasBackslash(at.dataStart, at.dataEnd)
      ? (JSON.parse(b.toString('utf8', at.dataStart - 1, at.dataEnd + 1)) as string)
      : b.toString('utf8', at.dataStart, at.dataEnd);
    return { sequence, arrivedAt: at.arrivedAt, partitionKey, data };
  }

  // A verified line as a record whose data is bytes (a view of this buffer unless it had escapes).
  bytesRecord(start: number, newline: number, shardId: string): StreamRecord<Uint8Array> | null {
    const { at, buffer: b } = this;
    if (!this.locate(start, newline)) {
      const line = this.decodeSlow(start, newline);
      return line && { shardId, sequence: line.sequence, arrivedAt: line.arrivedAt, partitionKey: line.partitionKey, data: dataBytes(line) };
    }
    const data = at.binary
      ? Buffer.from(b.toString('latin1', at.dataStart, at.dataEnd), 'base64')
      : this.hasBackslash(at.dataStart, at.dataEnd)
      ? Buffer.from(JSON.parse(b.toString('utf8', at.dataStart - 1, at.dataEnd + 1)) as string)
      : b.subarray(at.dataStart, at.dataEnd);
    return new BytesRecord(shardId, at.arrivedAt, data, b, start, at.keyStart, at.keyEnd, at.keyEscaped);
  }

  // Copies the data of a verified line (unescaped) into `target` at `at`: the bytes copied, -1 when
  // `target` has too little room, -2 when the line cannot be decoded.
  copyData(start: number, newline: number, target: Buffer, targetView: DataView, to: number): number {
    const located = this.locate(start, newline);
    const { dataStart, dataEnd } = this.at;
    let bytes: Buffer | null = null;
    if (!located) {
      const line = this.decodeSlow(start, newline);
      if (!line) return -2;
      bytes = dataBytes(line);
    } else if (this.at.binary) bytes = Buffer.from(this.buffer.toString('latin1', dataStart, dataEnd), 'base64');
    else if (this.hasBackslash(dataStart, dataEnd)) bytes = Buffer.from(JSON.parse(this.buffer.toString('utf8', dataStart - 1, dataEnd + 1)) as string);
    // Room for one more byte (the newline) is left for the caller.
    if (bytes !== null) return bytes.length + 1 > target.length - to ? -1 : bytes.copy(target, to);
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
  private at = { arrivedAt: 0, keyStart: 0, keyEnd: 0, keyEscaped: false, dataStart: 0, dataEnd: 0, binary: false };

  // Finds the fields of a verified line, reading them at their places; false for another layout.
  private locate(start: number, newline: number): boolean {
    const b = this.buffer;
    if (b[start + 1] !== QUOTE || b[start + 2] !== 0x73 || b[start + SEQUENCE_END] !== QUOTE || b[start + 42] !== 0x74) return false;
    let p = start + TIME_AT;
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
    // ","d":" or ","b":"
    const dataStart = keyEnd + 7;
    const dataEnd = newline - SUFFIX_BYTES;
    const field = b[keyEnd + 3];
    if ((field !== TEXT_FIELD && field !== BINARY_FIELD) || b[dataStart - 1] !== QUOTE || b[dataEnd] !== QUOTE || dataEnd < dataStart) return false;
    const at = this.at;
    at.arrivedAt = arrivedAt;
    at.keyStart = keyStart;
    at.keyEnd = keyEnd;
    at.keyEscaped = keyEscaped;
    at.dataStart = dataStart;
    at.dataEnd = dataEnd;
    at.binary = field === BINARY_FIELD;
    return true;
  }

  // Any valid JSON line with the four fields (for lines not laid out exactly as LineWriter writes).
  private decodeSlow(start: number, newline: number): DecodedLine | null {
    try {
      const value = JSON.parse(this.buffer.toString('utf8', start, newline)) as Record<string, unknown>;
      const { s, t, k, d, b } = value;
      if (typeof s !== 'string' || typeof t !== 'number' || typeof k !== 'string') return null;
      if (typeof d === 'string') return { sequence: s, arrivedAt: t, partitionKey: k, data: d };
      if (typeof b === 'string') return { sequence: s, arrivedAt: t, partitionKey: k, data: b, dataEncoding: 'base64' };
      return null;
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

function dataBytes(line: DecodedLine): Buffer {
  return Buffer.from(line.data, line.dataEncoding === 'base64' ? 'base64' : 'utf8');
}

function digitsAt(b: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (b[i]! - 0x30);
  return value;
}
