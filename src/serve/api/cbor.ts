// CBOR (RFC 8949) as the AWS SDK for Java sends and reads it for Kinesis (application/x-amz-cbor-1.1):
// maps with text keys, byte strings for blobs, and timestamps as tag 1 holding epoch milliseconds (the
// SDK's convention; a tag 1 holding a small number or a float is read as epoch seconds, the RFC's).
// The reader takes definite and indefinite lengths (Jackson writes indefinite maps) and every float width.

const TAG_EPOCH = 1;
// Tag 1 values above this are epoch milliseconds (1e11 seconds is the year 5138).
const MILLIS_THRESHOLD = 1e11;
const MAX_DEPTH = 64;

export class CborError extends Error {}

export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (reader.offset !== bytes.length) throw new CborError('extra bytes after the CBOR item');
  return value;
}

const BREAK = Symbol('break');

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deeply');
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major, depth);
    const argument = this.argument(info);
    switch (major) {
      case 0:
        return argument;
      case 1:
        return -1 - argument;
      case 2:
        return Buffer.from(this.take(argument));
      case 3:
        return Buffer.from(this.take(argument)).toString('utf8');
      case 4: {
        const list: unknown[] = [];
        for (let i = 0; i < argument; i++) list.push(this.item(depth + 1));
        return list;
      }
      case 5: {
        const map: Record<string, unknown> = {};
        for (let i = 0; i < argument; i++) this.entry(map, depth);
        return map;
      }
      default: {
        const value = this.item(depth + 1);
        if (argument === TAG_EPOCH && typeof value === 'number') {
          return new Date(Number.isInteger(value) && value > MILLIS_THRESHOLD ? value : value * 1000);
        }
        return value;
      }
    }
  }

  private entry(map: Record<string, unknown>, depth: number): void {
    const key = this.item(depth + 1);
    if (typeof key !== 'string') throw new CborError('CBOR map keys must be text');
    map[key] = this.item(depth + 1);
  }

  private indefinite(major: number, depth: number): unknown {
    switch (major) {
      case 2:
      case 3: {
        const parts: Buffer[] = [];
        for (;;) {
          const part = this.peekBreak() ? BREAK : this.item(depth + 1);
          if (part === BREAK) break;
          parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
        }
        const joined = Buffer.concat(parts);
        return major === 2 ? joined : joined.toString('utf8');
      }
      case 4: {
        const list: unknown[] = [];
        while (!this.peekBreak()) list.push(this.item(depth + 1));
        return list;
      }
      case 5: {
        const map: Record<string, unknown> = {};
        while (!this.peekBreak()) this.entry(map, depth);
        return map;
      }
      default:
        throw new CborError(`indefinite length is not allowed for major type ${major}`);
    }
  }

  private peekBreak(): boolean {
    if (this.offset >= this.bytes.length) throw new CborError('unexpected end of CBOR data');
    if (this.bytes[this.offset] !== 0xff) return false;
    this.offset++;
    return true;
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        return halfFloat(this.view.getUint16(this.advance(2)));
      case 26:
        return this.view.getFloat32(this.advance(4));
      case 27:
        return this.view.getFloat64(this.advance(8));
      default:
        throw new CborError(`unsupported CBOR simple value ${info}`);
    }
  }

  private argument(info: number): number {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.byte();
      case 25:
        return this.view.getUint16(this.advance(2));
      case 26:
        return this.view.getUint32(this.advance(4));
      case 27: {
        const value = this.view.getBigUint64(this.advance(8));
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError('CBOR integer too large');
        return Number(value);
      }
      default:
        throw new CborError(`invalid CBOR length ${info}`);
    }
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new CborError('unexpected end of CBOR data');
    return this.bytes[this.offset++]!;
  }

  private advance(n: number): number {
    if (this.offset + n > this.bytes.length) throw new CborError('unexpected end of CBOR data');
    const at = this.offset;
    this.offset += n;
    return at;
  }

  private take(n: number): Uint8Array {
    return this.bytes.subarray(this.advance(n), this.offset);
  }
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

// Encodes a response: objects as maps (undefined members left out), Buffers and Uint8Arrays as byte
// strings, Dates as tag 1 with epoch milliseconds, integers as integers and other numbers as doubles.
export function encodeCbor(value: unknown): Buffer {
  const writer = new Writer();
  writer.item(value);
  return writer.finish();
}

class Writer {
  private buffer = Buffer.allocUnsafe(256);
  private length = 0;

  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  item(value: unknown): void {
    if (value === null || value === undefined) this.raw(0xf6);
    else if (value === false) this.raw(0xf4);
    else if (value === true) this.raw(0xf5);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'string') this.bytes(3, Buffer.from(value, 'utf8'));
    else if (value instanceof Uint8Array) this.bytes(2, value);
    else if (value instanceof Date) {
      this.head(6, TAG_EPOCH);
      this.number(value.getTime());
    } else if (Array.isArray(value)) {
      this.head(4, value.length);
      for (const item of value) this.item(item);
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      this.head(5, entries.length);
      for (const [key, item] of entries) {
        this.bytes(3, Buffer.from(key, 'utf8'));
        this.item(item);
      }
    } else throw new CborError(`cannot encode a ${typeof value} as CBOR`);
  }

  private number(value: number): void {
    if (Number.isSafeInteger(value)) {
      if (value >= 0) this.head(0, value);
      else this.head(1, -1 - value);
      return;
    }
    this.ensure(9);
    this.buffer[this.length++] = 0xfb;
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  private bytes(major: number, bytes: Uint8Array): void {
    this.head(major, bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private head(major: number, argument: number): void {
    this.ensure(9);
    const top = major << 5;
    if (argument < 24) this.buffer[this.length++] = top | argument;
    else if (argument < 0x100) {
      this.buffer[this.length++] = top | 24;
      this.buffer[this.length++] = argument;
    } else if (argument < 0x10000) {
      this.buffer[this.length++] = top | 25;
      this.buffer.writeUInt16BE(argument, this.length);
      this.length += 2;
    } else if (argument < 0x100000000) {
      this.buffer[this.length++] = top | 26;
      this.buffer.writeUInt32BE(argument, this.length);
      this.length += 4;
    } else {
      this.buffer[this.length++] = top | 27;
      this.buffer.writeBigUInt64BE(BigInt(argument), this.length);
      this.length += 8;
    }
  }

  private raw(byte: number): void {
    this.ensure(1);
    this.buffer[this.length++] = byte;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}
