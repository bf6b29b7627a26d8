// Reading one shard from a position: the position becomes a segment and a byte offset (by sequence
// number, by arrival time, or the end), then a forward scan hands out valid lines in order, skipping
// records past retention. A process reading on from where it stopped reuses the offset it stopped at.
import { invalidArgument } from '../../core/errors.js';
import { counterInShard } from '../../core/sequence-numbers.js';
import type { StreamPosition, StreamRecord } from '../../core/stream-types.js';
import { type StreamContext, cutoffOf } from './stream-context.js';
import type { LineDecoder } from './line-decoder.js';
import { viewOf } from './checksum.js';
import { scanLines } from './segment-file.js';
import { seekInSegment, segmentFor } from './seek.js';
import type { ShardFiles } from './shard-files.js';

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
    let count = 0;
    // The last line passed over or handed out: where the next read continues, and how far behind it is.
    let lastCounter: number | null = null;
    let lastArrivedAt = 0;
    let caughtUp = false;
    let jumped = false;
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
      let mismatch = false;
      let expired = false;
      let windowEnd = false;
      let stop;
      try {
        stop = scanLines(file, offset, file.size, chunkBytes, (decoder, s, newline) => {
          const counter = decoder.counter(s);
          if (expect !== null) {
            if (counter !== expect) {
              mismatch = true;
              return false;
            }
            expect = null;
          }
          const arrivedAt = decoder.arrivedAt(s);
          if (arrivedAt <= cutoff) {
            lastCounter = counter;
            // Past retention: jump once to the first unexpired record instead of scanning up to it.
            if (!jumped && count === 0) expired = true;
            return !expired;
          }
          if (until !== undefined && arrivedAt >= until) {
            windowEnd = true;
            return false;
          }
          lastCounter = counter;
          if (collector.add(decoder, s, newline, files.shardId)) {
            lastArrivedAt = arrivedAt;
            count++;
          }
          return count < limit;
        }, collector.keepsBuffers);
      } finally {
        file.close();
      }
      if (mismatch) {
        ({ index, offset } = this.seekCounter(expect!));
        expect = null;
        continue;
      }
      if (expired) {
        jumped = true;
        ({ index, offset } = this.seekTime(cutoff + 1));
        continue;
      }
      if (windowEnd) {
        offset = stop.at;
        caughtUp = true;
        break;
      }
      if (stop.stopped) {
        offset = stop.after;
        caughtUp = index === this.segments.length - 1 && offset >= file.size;
        break;
      }
      offset = stop.at;
      if (index === this.segments.length - 1) {
        caughtUp = true;
        break;
      }
      index++;
      offset = 0;
    }
    const nextCounter = lastCounter !== null ? (lastCounter as number) + 1 : startCounter ?? files.newest(this.segments).counter + 1;
    this.hints.set(files, nextCounter, this.segments[index]!, offset);
    const millisBehindLatest = caughtUp || count === 0 ? 0 : Math.max(0, files.newest(this.segments).arrivedAt - lastArrivedAt);
    return { count, nextCounter, caughtUp, millisBehindLatest };
  }
}
