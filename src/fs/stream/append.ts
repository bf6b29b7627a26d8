// Appending a batch of records to one shard: under the shard's lock, taken once per batch, make
// sure the shard is still open (see reshard.ts), read the tail of the newest segment (a pread of its
// last bytes), truncate a torn tail left by a killed writer, take the next sequence numbers and the
// arrival time (never earlier than the last record's), roll to a new segment if due, write the whole
// batch with one write, and fsync once when durable.
import fs from 'node:fs';
import { MqError } from '../../core/errors.js';
import { acquireLock } from '../lock.js';
import { FILE_MODE, errnoCode, fsyncDir, ioError, unlinkIfExists } from '../fs-util.js';
import { type StreamContext, cutoffOf } from './stream-context.js';
import { type StreamConfig, readStreamConfig } from './stream-config.js';
import { LineWriter } from './line-writer.js';
import { type LineRef, type SegmentFile, readTail } from './segment-file.js';
import { formatSegmentName } from './segment-names.js';
import { shouldRoll } from './segment-retention.js';
import type { ShardFiles } from './shard-files.js';
import { dropExpiredSegments } from './janitor.js';

// The records of one append: they encode themselves as lines into the batch's writer, with counters from
// `firstCounter` on, one by one, and all the same arrival time (put.ts).
export interface EncodedRecords {
  encode(writer: LineWriter, firstCounter: number, arrivedAt: number): void;
}

// The buffer batches are encoded in, kept between appends of this process (see LineWriter).
let scratch: Buffer | undefined;
const SCRATCH_KEEP_BYTES = 16 << 20;

export type AppendResult =
  // The records' counters are firstCounter, firstCounter + 1, ... in the order given.
  | { closed: false; firstCounter: number; arrivedAt: number }
  // The shard was closed by a reshard after the put routed its records: route them again with `config`.
  | { closed: true; config: StreamConfig };

export async function appendToShard(ctx: StreamContext, files: ShardFiles, records: EncodedRecords): Promise<AppendResult> {
  const lock = await lockShard(ctx, files);
  let rolled = false;
  let file: SegmentFile | undefined;
  let result: AppendResult;
  try {
    const { segments, closed } = files.listing();
    if (closed) {
      const config = closedIn(ctx, files);
      if (config) return { closed: true, config };
    }
    let newest = { counter: 0, arrivedAt: 0 };
    if (segments.length === 0) {
      file = createSegment(ctx, files, 1);
    } else {
      const first = segments.at(-1)!;
      file = openForAppend(files, first);
      const last = repairTail(file);
      // An empty newest segment (its writer died before writing) still names the next counter.
      newest = last ?? { counter: first - 1, arrivedAt: files.newest(segments.slice(0, -1)).arrivedAt };
    }
    if (shouldRoll(file.size, ctx.config.segmentBytes, newest.arrivedAt || null, cutoffOf(ctx))) {
      // Whatever the durability, the records of the segment rolled from reach the disk before the next
      // segment exists: a power cut must not keep a later segment and lose records before it (a gap in
      // the counters that no put would fill). Once per segment (64 MiB).
      if (!ctx.durable) syncData(file);
      file.close();
      file = undefined;
      file = createSegment(ctx, files, newest.counter + 1);
      rolled = true;
    }
    const arrivedAt = Math.max(ctx.env.clock.now(), newest.arrivedAt);
    // Everything from here to the write is synchronous, so no other append of this process shares the scratch buffer.
    scratch ??= Buffer.allocUnsafe(1 << 20);
    const writer = new LineWriter(files.index, scratch);
    records.encode(writer, newest.counter + 1, arrivedAt);
    if (writer.buffer.length <= SCRATCH_KEEP_BYTES) scratch = writer.buffer;
    writeBatch(ctx, file, writer.bytes);
    result = { closed: false, firstCounter: newest.counter + 1, arrivedAt };
  } finally {
    file?.close();
    lock.release();
  }
  if (rolled) dropExpiredSegments(files, cutoffOf(ctx));
  return result;
}

// Under the append lock, with the closed marker present: the current map if it closes the shard. A
// resharder writes the marker and publishes the map without letting go of this lock, so a marker whose
// shard the map still shows open was left by a resharder that died in between: it is removed.
function closedIn(ctx: StreamContext, files: ShardFiles): StreamConfig | null {
  const config = readStreamConfig(ctx.name, ctx.layout);
  if (config.shards.find((s) => s.index === files.index)?.state === 'closed') return config;
  unlinkIfExists(files.layout.closed);
  return null;
}

async function lockShard(ctx: StreamContext, files: ShardFiles) {
  try {
    return await acquireLock(files.layout.lock, { what: `${files.shardId} of stream "${ctx.name}"` });
  } catch (error) {
    // No shard directory to lock in: the stream was removed after it was opened.
    if (errnoCode((error as Error).cause) === 'ENOENT') throw new MqError('STREAM_NOT_FOUND', `stream "${ctx.name}" does not exist`);
    throw error;
  }
}

function openForAppend(files: ShardFiles, first: number): SegmentFile {
  const file = files.open(first, 'r+');
  if (!file) throw new MqError('STREAM_NOT_FOUND', `${files.shardId} has no segment ${formatSegmentName(first)} any more`);
  return file;
}

// Cuts off a torn tail: a last line without its newline, or complete last lines that fail their
// checksum. Only a dead writer leaves one (writers hold the lock). Returns the last valid record.
export function repairTail(file: SegmentFile): LineRef | null {
  const { end, last } = readTail(file);
  if (end === file.size) return last;
  try {
    fs.ftruncateSync(file.fd, end);
  } catch (error) {
    throw ioError(error, 'repair', file.path);
  }
  file.size = end;
  return last;
}

// A new segment's name reaches the disk at once, whatever the durability, so segments reach it in order:
// the retention that follows a roll deletes older ones, and a shard left with none would count from 1 again.
function createSegment(ctx: StreamContext, files: ShardFiles, firstCounter: number): SegmentFile {
  const path = files.path(firstCounter);
  try {
    fs.closeSync(fs.openSync(path, 'wx', FILE_MODE));
    fsyncDir(files.layout.dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new MqError('STREAM_NOT_FOUND', `stream "${ctx.name}" does not exist`);
    throw ioError(error, 'create', path);
  }
  return files.open(firstCounter, 'r+')!;
}

function syncData(file: SegmentFile): void {
  try {
    fs.fdatasyncSync(file.fd);
  } catch (error) {
    throw ioError(error, 'sync', file.path);
  }
}

// One write of the whole batch at the end of the segment (and one fdatasync when durable). If it fails
// part-way (a full disk), the partial line is cut off again, so the shard stays readable.
function writeBatch(ctx: StreamContext, file: SegmentFile, bytes: Buffer): void {
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(file.fd, bytes, written, bytes.length - written, file.size + written);
    if (ctx.durable) fs.fdatasyncSync(file.fd);
  } catch (error) {
    file.size += written;
    try {
      repairTail(file);
    } catch {
      // The write error is the one to report.
    }
    throw ioError(error, 'append to', file.path);
  }
  file.size += written;
}
