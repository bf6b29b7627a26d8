// Reading records from stdin as they arrive: split on a separator byte (newline or NUL), handed out in
// batches of whatever is already there, so `producer | mq send q` stores each line as soon as it is
// complete. A record longer than `maxBytes` is not kept in memory: it is skipped and reported. One
// splitter (readLineBlocks) gives blocks of bytes with line offsets (the bulk form of `mq put`); records
// come from it as bytes (readLineBatches) or as text (readRecordBatches).
import type { Readable } from 'node:stream';
import { MqError } from '../../core/errors.js';
import type { LineBlock } from '../../core/stream-types.js';

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

// Lines as records of bytes, in batches of at most `maxBatch`: the lines of each block readLineBlocks
// reads (one state machine splits stdin, for records and for blocks alike).
export async function* readLineBatches(stream: Readable, options: ReadOptions): AsyncGenerator<InputLine[]> {
  const maxBatch = options.maxBatch ?? 1000;
  for await (const blocks of readLineBlocks(stream, options)) {
    for (const block of blocks) {
      let batch: InputLine[] = [];
      for (let i = 0; i < block.count; i++) {
        const start = block.starts[i]!;
        const index = block.firstIndex + i;
        batch.push(start === -1 ? { index, bytes: null, problem: block.problems!.get(i)! } : { index, bytes: block.bytes.subarray(start, block.ends[i]!) });
        if (batch.length >= maxBatch) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
}

// Lines as blocks of bytes (core's LineBlock): each chunk read becomes one block, the chunk itself with the
// offsets of the lines that end in it, so a line costs no object and no copy (a line begun in an earlier
// chunk is joined to it). A line longer than `maxBytes` is not kept: its start is -1, and `problems`
// says why. `firstIndex` is the 1-based input position of the block's first line.
export interface InputBlock extends LineBlock {
  bytes: Buffer;
  firstIndex: number;
  problems: Map<number, string> | null;
}

export async function* readLineBlocks(stream: Readable, options: ReadOptions): AsyncGenerator<InputBlock[]> {
  const separator = options.separator ?? NEWLINE;
  const { maxBytes } = options;
  const tooLong = `longer than ${maxBytes} bytes`;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let index = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const first = chunk.indexOf(separator);
    if (first === -1) {
      pendingBytes += chunk.length;
      if (oversized || pendingBytes > maxBytes) {
        oversized = true;
        pending = [];
      } else {
        pending.push(Buffer.from(chunk));
      }
      continue;
    }
    let bytes = chunk;
    let scanFrom = 0;
    if (pending.length > 0 && !oversized && pendingBytes + first <= maxBytes) {
      bytes = Buffer.concat([...pending, chunk]);
      scanFrom = pendingBytes;
    }
    // About one line per 32 bytes to begin with; grown when needed.
    let starts: Int32Array = new Int32Array(Math.max(16, bytes.length >> 5));
    let ends: Int32Array = new Int32Array(starts.length);
    let count = 0;
    let problems: Map<number, string> | null = null;
    let start = 0;
    let lineStart = 0;
    for (let end = bytes.indexOf(separator, scanFrom); end !== -1; end = bytes.indexOf(separator, start)) {
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      if (count === 0 && (oversized || pendingBytes + first > maxBytes)) {
        // The line began in earlier chunks and is too long: not kept.
        starts[count] = -1;
        (problems ??= new Map()).set(count, tooLong);
      } else if (end - lineStart > maxBytes) {
        starts[count] = -1;
        (problems ??= new Map()).set(count, tooLong);
      } else {
        starts[count] = lineStart;
      }
      ends[count++] = end;
      start = end + 1;
      lineStart = start;
    }
    pending = [];
    pendingBytes = 0;
    oversized = false;
    if (start < bytes.length) {
      pendingBytes = bytes.length - start;
      if (pendingBytes > maxBytes) oversized = true;
      else pending.push(Buffer.from(bytes.subarray(start)));
    }
    yield [{ bytes, starts, ends, count, firstIndex: index + 1, problems }];
    index += count;
  }
  const last = oversized
    ? { bytes: Buffer.alloc(0), starts: Int32Array.of(-1), problems: new Map([[0, tooLong]]) }
    : { bytes: Buffer.concat(pending), starts: Int32Array.of(0), problems: null };
  if (oversized || pending.length > 0) yield [{ ...last, ends: Int32Array.of(last.bytes.length), count: 1, firstIndex: index + 1 }];
}

function grow(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
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
// `sizeOf` counts the items of a batch (its length unless given: blocks of lines count their lines).
export async function* coalesceBatches<T>(
  source: AsyncIterable<T[]>,
  maxItems: number,
  waitMs = 2,
  sizeOf: (batch: T[]) => number = (batch) => batch.length,
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const first = await next;
      if (first.done) return;
      let batch = first.value;
      let size = sizeOf(batch);
      next = iterator.next();
      while (size < maxItems) {
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
        size += sizeOf(result.value);
        next = iterator.next();
      }
      yield batch;
    }
  } finally {
    // A caller that stops early leaves a read in flight: its failure is no longer anyone's concern.
    next.catch(() => {});
  }
}
