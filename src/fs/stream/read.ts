// Reading one shard from a position: the position becomes a segment and a byte offset (by sequence
// number, by arrival time, or the end), then a forward scan hands out valid lines in order, skipping
// records past retention. A process reading on from where it stopped reuses the offset it stopped at.
import { invalidArgument } from '../../core/errors.js';
import { childShardsOf } from '../../core/resharding.js';
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import type { ReadResult, StreamPosition, StreamRecord } from '../../core/stream-types.js';
import { type StreamContext, cutoffOf } from './stream-context.js';
import type { LineDecoder } from './line-decoder.js';
import { viewOf } from './checksum.js';
import { type ScanStop, scanLines } from './segment-file.js';
import { seekInSegment, segmentFor } from './seek.js';
import { ShardFiles } from './shard-files.js';

// What a read gathers from the lines it accepts: record objects, or only their data as lines of bytes.
export interface Collector {
  // Takes the verified, unexpired line [start, newline]; false when it could not be decoded (skipped).
  add(decoder: LineDecoder, start: number, newline: number, shardId: string): boolean;
  // The scan keeps views into the buffers it reads (so each chunk gets a fresh one).
  readonly keepsBuffers: boolean;
}

export class RecordCollector implements Collector {
  readonly records: StreamRecord<string | Uint8Array>[] = [];

  constructor(readonly keepsBuffers: boolean) {}

  add(decoder: LineDecoder, start: number, newline: number, shardId: string): boolean {
    if (this.keepsBuffers) {
      const record = decoder.bytesRecord(start, newline, shardId);
      if (record) this.records.push(record);
      return record !== null;
    }
    const line = decoder.decode(start, newline);
    if (line) this.records.push({ shardId, ...line });
    return line !== null;
  }
}

// Copies each record's data and a newline into one growing buffer: no object per record.
export class DataCollector implements Collector {
  readonly keepsBuffers = false;
  bytes = Buffer.allocUnsafe(1 << 20);
  private view = viewOf(this.bytes);
  length = 0;

  add(decoder: LineDecoder, start: number, newline: number): boolean {
    const added = decoder.copyData(start, newline, this.bytes, this.view, this.length);
    if (added === -1) {
      this.bytes = Buffer.concat([this.bytes.subarray(0, this.length), Buffer.allocUnsafe(Math.max(this.bytes.length, newline - start + 1))]);
      this.view = viewOf(this.bytes);
      return this.add(decoder, start, newline);
    }
    if (added === -2) return false;
    this.length += added;
    this.bytes[this.length++] = 0x0a;
    return true;
  }
}

export interface ShardRead {
  count: number;
  // The counter the next read continues at (one after the last record handed out).
  nextCounter: number;
  caughtUp: boolean;
  millisBehindLatest: number;
}

interface Place {
  index: number;
  offset: number;
}

// Where earlier reads of this process stopped, by shard and next counter, so paging through a shard
// does not seek again. A hint is checked against the counter of the line it points at before use.
export class ReadHints {
  private readonly places = new Map<string, { first: number; offset: number }>();

  get(files: ShardFiles, counter: number): { first: number; offset: number } | undefined {
    return this.places.get(`${files.layout.dir}\n${counter}`);
  }

  set(files: ShardFiles, counter: number, first: number, offset: number): void {
    if (this.places.size >= 1024) this.places.clear();
    this.places.set(`${files.layout.dir}\n${counter}`, { first, offset });
  }
}

export interface ShardReadOptions {
  limit: number;
  // Stop before the first record that arrived at or after this time.
  until?: number;
}

// A read of one shard as the StreamStore reports it (all but the records, which `collector` gathered):
// where to go on, whether it caught up, and at the end of a closed shard its children.
export function readShardResult(
  ctx: StreamContext, shard: ShardDefinition, from: StreamPosition, options: ShardReadOptions, hints: ReadHints, collector: Collector,
): { count: number; result: Omit<ReadResult, 'records'> } {
  const read = readShard(ctx, ShardFiles.in(ctx.layout, shard.index), from, options, hints, collector);
  // Counters start at 1: a read from at-sequence counter 0 continues from there, not from "-1".
  const next: StreamPosition = { type: 'after-sequence', sequence: formatSequence(shard.index, Math.max(read.nextCounter, 1) - 1) };
  // A closed shard never grows: caught up past its last record is its end (Kinesis: no next iterator).
  const shardEnd = shard.state === 'closed' && read.caughtUp && read.nextCounter > (shard.endingCounter ?? 0);
  const result = { next, caughtUp: read.caughtUp, millisBehindLatest: read.millisBehindLatest, shardEnd };
  return { count: read.count, result: shardEnd ? { ...result, childShards: childShardsOf(ctx.config.shards, shard.index) } : result };
}

// The first `limit` records of a shard from `position` (for describe and lag), data as bytes.
export function readFirst(ctx: StreamContext, files: ShardFiles, position: StreamPosition, limit: number, hints: ReadHints): StreamRecord<string | Uint8Array>[] {
  const collector = new RecordCollector(true);
  readShard(ctx, files, position, { limit }, hints, collector);
  return collector.records;
}

// Reads up to `limit` records from `position` into `collector`.
export function readShard(
  ctx: StreamContext, files: ShardFiles, position: StreamPosition, options: ShardReadOptions, hints: ReadHints, collector: Collector,
): ShardRead {
  return new ShardReader(ctx, files, hints, collector, options).read(position);
}

class ShardReader {
  private readonly segments: number[];
  private readonly cutoff: number;

  constructor(
    private readonly ctx: StreamContext,
    private readonly files: ShardFiles,
    private readonly hints: ReadHints,
    private readonly collector: Collector,
    private readonly options: ShardReadOptions,
  ) {
    this.segments = files.segments();
    this.cutoff = cutoffOf(ctx);
  }

  read(position: StreamPosition): ShardRead {
    let counter: number | null = null;
    let place: Place | null = null;
    switch (position.type) {
      case 'at-sequence':
        counter = counterInShard(position.sequence, this.files.index);
        break;
      case 'after-sequence':
        counter = counterInShard(position.sequence, this.files.index) + 1;
        break;
      case 'latest':
        return this.atEnd();
      case 'last':
        if (!Number.isInteger(position.count) || position.count < 0) throw invalidArgument(`record count must be a whole number, got ${position.count}`);
        if (position.count === 0) return this.atEnd();
        counter = Math.max(1, this.files.newest(this.segments).counter - position.count + 1);
        break;
      case 'trim-horizon':
        place = this.seekTime(this.cutoff + 1);
        break;
      case 'at-timestamp':
        if (!Number.isFinite(position.timestamp)) throw invalidArgument('a timestamp is required');
        if (position.timestamp > this.ctx.env.clock.now()) {
          throw invalidArgument(`timestamp ${new Date(position.timestamp).toISOString()} is in the future`);
        }
        place = this.seekTime(Math.max(position.timestamp, this.cutoff + 1));
        break;
    }
    if (this.segments.length === 0) return { count: 0, nextCounter: counter ?? 1, caughtUp: true, millisBehindLatest: 0 };
    let expect: number | null = null;
    if (counter !== null) {
      const hint = this.hints.get(this.files, counter);
      const index = hint ? this.segments.indexOf(hint.first) : -1;
      if (hint && index !== -1) {
        place = { index, offset: hint.offset };
        expect = counter;
      } else {
        place = this.seekCounter(counter);
      }
    }
    return this.scan(place!, counter, expect);
  }

  private atEnd(): ShardRead {
    return { count: 0, nextCounter: this.files.newest(this.segments).counter + 1, caughtUp: true, millisBehindLatest: 0 };
  }

  private seekCounter(counter: number): Place {
    const index = segmentFor(this.segments.length, counter + 1, (i) => this.segments[i]!);
    return { index, offset: this.seekIn(index, 'counter', counter) };
  }

  private seekTime(time: number): Place {
    const index = segmentFor(this.segments.length, time, (i) => this.files.head(this.segments[i]!)?.arrivedAt ?? null);
    return { index, offset: this.seekIn(index, 'time', time) };
  }

  private seekIn(index: number, key: 'counter' | 'time', target: number): number {
    const file = this.segments.length > 0 ? this.files.open(this.segments[index]!) : null;
    if (!file) return 0;
    try {
      return seekInSegment(file, file.size, key, target);
    } finally {
      file.close();
    }
  }

  // Hands out valid, unexpired lines from `place` on. `expect` is the counter a hinted place must start at.
  private scan(start: Place, startCounter: number | null, expect: number | null): ShardRead {
    const { files, cutoff, collector } = this;
    const { limit, until } = this.options;
    const chunkBytes = Math.min(256 << 10, Math.max(16 << 10, limit * 256));
    let { index, offset } = start;
    // What judges each line; `handedOut` counts the records handed out.
    const state: ScanState = { expect, cutoff, until, handedOut: 0, jumped: false };
    // The last line passed over or handed out: where the next read continues, and how far behind it is.
    let lastCounter: number | null = null;
    let lastArrivedAt = 0;
    let caughtUp = false;
    for (;;) {
      const file = files.open(this.segments[index]!);
      if (!file) {
        // Deleted by a janitor meanwhile: everything in it had expired.
        if (index === this.segments.length - 1) {
          caughtUp = true;
          break;
        }
        index++;
        offset = 0;
        continue;
      }
      // The verdict on the line the scan of this segment stopped at (null: it ran to the segment's end).
      let stoppedBy: Exclude<LineVerdict, 'take' | 'pass'> | 'full' | null = null;
      let scanned: ScanStop;
      try {
        scanned = scanLines(file, offset, file.size, chunkBytes, (decoder, s, newline) => {
          const counter = decoder.counter(s);
          const arrivedAt = decoder.arrivedAt(s);
          const verdict = judgeLine(counter, arrivedAt, state);
          state.expect = null;
          switch (verdict) {
            case 'take':
              lastCounter = counter;
              if (collector.add(decoder, s, newline, files.shardId)) {
                lastArrivedAt = arrivedAt;
                state.handedOut++;
              }
              if (state.handedOut < limit) return true;
              stoppedBy = 'full';
              return false;
            case 'pass':
              lastCounter = counter;
              return true;
            case 'jump':
              lastCounter = counter;
              stoppedBy = verdict;
              return false;
            case 'mismatch':
            case 'window-end':
              stoppedBy = verdict;
              return false;
          }
        }, collector.keepsBuffers);
      } finally {
        file.close();
      }
      const last = index === this.segments.length - 1;
      // (Set inside the visitor, where TypeScript does not look: it would take it for null here.)
      const stop = stoppedBy as typeof stoppedBy;
      if (stop === 'mismatch') {
        // The hint was stale: seek the counter it was for.
        ({ index, offset } = this.seekCounter(startCounter!));
        continue;
      }
      if (stop === 'jump') {
        // Past retention: jump once to the first unexpired record instead of scanning up to it.
        state.jumped = true;
        ({ index, offset } = this.seekTime(cutoff + 1));
        continue;
      }
      if (stop === 'window-end') {
        offset = scanned.at;
        caughtUp = true;
        break;
      }
      if (stop === 'full') {
        offset = scanned.after;
        caughtUp = last && offset >= file.size;
        break;
      }
      offset = scanned.at;
      if (last) {
        caughtUp = true;
        break;
      }
      index++;
      offset = 0;
    }
    const nextCounter = lastCounter !== null ? (lastCounter as number) + 1 : startCounter ?? files.newest(this.segments).counter + 1;
    this.hints.set(files, nextCounter, this.segments[index]!, offset);
    const count = state.handedOut;
    const millisBehindLatest = caughtUp || count === 0 ? 0 : Math.max(0, files.newest(this.segments).arrivedAt - lastArrivedAt);
    return { count, nextCounter, caughtUp, millisBehindLatest };
  }
}

// What a read makes of one valid line:
//   take        hand it out
//   pass        past retention, behind records already handed out: go on (the next read starts after it)
//   jump        past retention before anything was handed out: seek the first unexpired record instead
//               of scanning up to it (once per read)
//   mismatch    a remembered place (ReadHints) that does not start at the counter it was for: seek
//   window-end  arrived at or after the read's `until`: the read ends before it
export type LineVerdict = 'take' | 'pass' | 'jump' | 'mismatch' | 'window-end';

export interface ScanState {
  // The counter the first line must have (a hinted place), or null.
  expect: number | null;
  cutoff: number;
  until: number | undefined;
  handedOut: number;
  jumped: boolean;
}

export function judgeLine(counter: number, arrivedAt: number, state: ScanState): LineVerdict {
  if (state.expect !== null && counter !== state.expect) return 'mismatch';
  if (arrivedAt <= state.cutoff) return !state.jumped && state.handedOut === 0 ? 'jump' : 'pass';
  if (state.until !== undefined && arrivedAt >= state.until) return 'window-end';
  return 'take';
}
