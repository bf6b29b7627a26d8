// Printing records read from a stream: --json objects, or each record's data and a newline.
import type { StreamRecord } from '../../core/stream-types.js';
import type { Io } from '../io.js';
import type { Output } from '../output.js';
import { recordJson } from './stream-format.js';

type AnyRecord = StreamRecord<string | Uint8Array>;

// How records are read for printing: strings for --json, bytes for plain output (copied out undecoded)
// and for --base64.
export const dataFormFor = (out: Output, base64 = false): { dataAs: 'bytes' } => (out.json && !base64 ? {} : { dataAs: 'bytes' }) as { dataAs: 'bytes' };

// Plain output is each record's data and a newline, written with one write per batch; with `base64`,
// each record's data in base64 (so binary data keeps one line per record).
export function printRecords(out: Output, io: Io, records: AnyRecord[], base64 = false): void {
  if (out.json) {
    out.records(records.map((record) => recordJson(record, base64)));
    return;
  }
  if (records.length === 0) return;
  if (base64) {
    out.lines(records.map((record) => recordBytes(record).toString('base64')));
    return;
  }
  let size = 0;
  for (const { data, dataEncoding } of records) size += (typeof data === 'string' ? Buffer.byteLength(data, encodingOf(dataEncoding)) : data.length) + 1;
  const chunk = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { data, dataEncoding } of records) {
    at += typeof data === 'string' ? chunk.write(data, at, encodingOf(dataEncoding)) : (chunk.set(data, at), data.length);
    chunk[at++] = 0x0a;
  }
  io.stdout.write(chunk);
}

// A record's data as its bytes (a string read of binary data holds base64).
function recordBytes({ data, dataEncoding }: AnyRecord): Buffer {
  if (typeof data !== 'string') return Buffer.from(data.buffer, data.byteOffset, data.length);
  return Buffer.from(data, encodingOf(dataEncoding));
}

const encodingOf = (dataEncoding: AnyRecord['dataEncoding']): BufferEncoding => (dataEncoding === 'base64' ? 'base64' : 'utf8');

