// Reading records from stdin as they arrive: split on a separator byte (newline or NUL), handed out in
// batches of whatever is already there, so `producer | mq send q` stores each line as soon as it is
// complete. A record longer than `maxBytes` is not kept in memory: it is skipped and reported. Records
// come as text (readRecordBatches) or, for callers that store bytes as they are, as bytes (readLineBatches).
import type { Readable } from 'node:stream';
import { MqError } from '../core/errors.js';

export interface InputRecord {
  // 1-based position in the input (the line number for newline-separated input).
  index: number;
  text: string | null;
  // Why the record cannot be used, when it cannot.
  problem?: string;
}

const NEWLINE = 0x0a;
export const NUL = 0x00;

export interface ReadOptions {
  separator?: number;
  maxBytes: number;
  maxBatch?: number;
}

// A record as its bytes (a view into the chunk read, or a copy when it spanned chunks), not decoded.
export interface InputLine {
  index: number;
  bytes: Buffer | null;
  problem?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(index: number, bytes: Buffer): InputRecord {
  try {
    return { index, text: decoder.decode(bytes) };
  } catch {
    return { index, text: null, problem: 'not valid UTF-8' };
  }
}

export async function* readRecordBatches(stream: Readable, options: ReadOptions): AsyncGenerator<InputRecord[]> {
  for await (const batch of readLineBatches(stream, options)) {
    yield batch.map((line) => (line.bytes === null ? { index: line.index, text: null, problem: line.problem! } : decode(line.index, line.bytes)));
  }
}

export async function* readLineBatches(stream: Readable, options: ReadOptions): AsyncGenerator<InputLine[]> {
  const separator = options.separator ?? NEWLINE;
  const maxBatch = options.maxBatch ?? 1000;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let index = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let batch: InputLine[] = [];
    let start = 0;
    for (let end = chunk.indexOf(separator, start); end !== -1; end = chunk.indexOf(separator, start)) {
      const piece = chunk.subarray(start, end);
      start = end + 1;
      index++;
      if (oversized || pendingBytes + piece.length > options.maxBytes) {
        batch.push({ index, bytes: null, problem: `longer than ${options.maxBytes} bytes` });
      } else {
        batch.push({ index, bytes: pending.length > 0 ? Buffer.concat([...pending, piece]) : piece });
      }
      pending = [];
      pendingBytes = 0;
      oversized = false;
      if (batch.length >= maxBatch) {
        yield batch;
        batch = [];
      }
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > options.maxBytes) {
        oversized = true;
        pending = [];
      } else {
        pending.push(Buffer.from(rest));
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (oversized) yield [{ index: index + 1, bytes: null, problem: `longer than ${options.maxBytes} bytes` }];
  else if (pending.length > 0) yield [{ index: index + 1, bytes: Buffer.concat(pending) }];
}

// All of stdin as one record (for --whole).
export async function readWhole(stream: Readable, maxBytes: number): Promise<InputRecord> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { index: 1, text: null, problem: `input is longer than ${maxBytes} bytes` };
    chunks.push(chunk);
  }
  return decode(1, Buffer.concat(chunks));
}

// Refuses to wait on an interactive terminal: a command that reads stdin needs it piped.
export function requirePipedStdin(stream: { isTTY?: boolean }, what: string): void {
  if (stream.isTTY) throw new MqError('INVALID_ARGUMENT', `no ${what} given: pass them as arguments or pipe them on stdin`);
}

// Joins batches that follow each other within `waitMs` into one of up to `maxItems`: a file or a fast
// producer on stdin gives big batches (one lock and one fsync for thousands of records), while a line
// from a slow producer is still handed on about `waitMs` after it arrived.
export async function* coalesceBatches<T>(source: AsyncIterable<T[]>, maxItems: number, waitMs = 2): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const first = await next;
      if (first.done) return;
      let batch = first.value;
      next = iterator.next();
      while (batch.length < maxItems) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, waitMs, null)));
        const result = await Promise.race([next, timeout]);
        clearTimeout(timer);
        if (result === null) break;
        if (result.done) {
          yield batch;
          return;
        }
        batch = batch.concat(result.value);
        next = iterator.next();
      }
      yield batch;
    }
  } finally {
    // A caller that stops early leaves a read in flight: its failure is no longer anyone's concern.
    next.catch(() => {});
  }
}
