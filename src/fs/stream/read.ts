// Reading one shard from a position: the position becomes a segment and a byte offset (by sequence
// number, by arrival time, or the end), then a forward scan hands out valid lines in order, skipping
// records past retention. A process reading on from where it stopped reuses the offset it stopped at.
import { invalidArgument } from '../../core/errors.js';
import { counterInShard } from '../../core/sequence-numbers.js';
import type { StreamPosition, StreamRecord } from '../../core/stream-types.js';
import { type StreamContext, cutoffOf } from './stream-context.js';
import { scanLines } from './segment-file.js';
import { seekInSegment, segmentFor } from './seek.js';
import type { ShardFiles } from './shard-files.js';

export interface ShardRead {
  records: StreamRecord[];
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

export function readShard(ctx: StreamContext, files: ShardFiles, position: StreamPosition, limit: number, hints: ReadHints): ShardRead {
  return new ShardReader(ctx, files, hints).read(position, limit);
}

class ShardReader {
  private readonly segments: number[];
  private readonly cutoff: number;

  constructor(private readonly ctx: StreamContext, private readonly files: ShardFiles, private readonly hints: ReadHints) {
    this.segments = files.segments();
    this.cutoff = cutoffOf(ctx);
  }

  read(position: StreamPosition, limit: number): ShardRead {
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
    if (this.segments.length === 0) return { records: [], nextCounter: counter ?? 1, caughtUp: true, millisBehindLatest: 0 };
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
    return this.scan(place!, limit, counter, expect);
  }

  private atEnd(): ShardRead {
    return { records: [], nextCounter: this.files.newest(this.segments).counter + 1, caughtUp: true, millisBehindLatest: 0 };
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
  private scan(start: Place, limit: number, startCounter: number | null, expect: number | null): ShardRead {
    const { files, cutoff } = this;
    const records: StreamRecord[] = [];
    const chunkBytes = Math.min(1 << 20, Math.max(16 << 10, limit * 256));
    let { index, offset } = start;
    let lastCounter: number | null = null;
    let caughtUp = false;
    let jumped = false;
    for (;;) {
      const first = this.segments[index]!;
      const file = files.open(first);
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
      let stop;
      try {
        stop = scanLines(file, offset, file.size, chunkBytes, (decoder, s, newline) => {
          if (expect !== null) {
            if (decoder.counter(s) !== expect) {
              mismatch = true;
              return false;
            }
            expect = null;
          }
          if (decoder.arrivedAt(s) <= cutoff) {
            lastCounter = decoder.counter(s);
            // Past retention: jump once to the first unexpired record instead of scanning up to it.
            if (!jumped && records.length === 0) expired = true;
            return !expired;
          }
          const line = decoder.decode(s, newline);
          if (line) records.push({ shardId: files.shardId, ...line });
          return records.length < limit;
        });
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
    const last = records.at(-1);
    const nextCounter = last
      ? Number(last.sequence.slice(-20)) + 1
      : lastCounter !== null
        ? (lastCounter as number) + 1
        : startCounter ?? files.newest(this.segments).counter + 1;
    this.hints.set(files, nextCounter, this.segments[index]!, offset);
    const millisBehindLatest = caughtUp || !last ? 0 : Math.max(0, files.newest(this.segments).arrivedAt - last.arrivedAt);
    return { records, nextCounter, caughtUp, millisBehindLatest };
  }
}
