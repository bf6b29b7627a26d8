// Printing records read from a stream: --json objects, or each record's data and a newline.
import type { StreamRecord } from '../../core/stream-types.js';
import type { Io } from '../io.js';
import type { Output } from '../output.js';
import { recordJson } from './stream-format.js';

type AnyRecord = StreamRecord<string | Uint8Array>;

// How records are read for printing: strings for --json, bytes for plain output (copied out undecoded).
export const dataFormFor = (out: Output): { dataAs: 'bytes' } => (out.json ? {} : { dataAs: 'bytes' }) as { dataAs: 'bytes' };

// Plain output is each record's data and a newline, written with one write per batch.
export function printRecords(out: Output, io: Io, records: AnyRecord[]): void {
  if (out.json) {
    out.records(records.map(recordJson));
    return;
  }
  if (records.length === 0) return;
  let size = 0;
  for (const record of records) size += (typeof record.data === 'string' ? Buffer.byteLength(record.data) : record.data.length) + 1;
  const chunk = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { data } of records) {
    at += typeof data === 'string' ? chunk.write(data, at) : (chunk.set(data, at), data.length);
    chunk[at++] = 0x0a;
  }
  io.stdout.write(chunk);
}

