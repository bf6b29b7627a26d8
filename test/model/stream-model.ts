// An in-memory reference model of a Kinesis stream as mq implements it: shards splitting the 128-bit hash
// key space evenly, routing by MD5 of the partition key or an explicit hash key, consecutive counters per
// shard, arrival times that never go back within a shard, reads from every kind of position with a
// limit, retention (a record that arrived at or before the cutoff is gone; a change keeps what had
// expired expired), and the `next` position and lag a read reports. Written from the semantics, not from
// the store's code, to check the file store against.
import { createHash } from 'node:crypto';

export interface ModelRecord {
  shard: number;
  counter: number;
  arrivedAt: number;
  partitionKey: string;
  data: string;
}

export type ModelPosition =
  | { type: 'trim-horizon' }
  | { type: 'latest' }
  | { type: 'at-sequence'; shard: number; counter: number }
  | { type: 'after-sequence'; shard: number; counter: number }
  | { type: 'at-timestamp'; timestamp: number }
  | { type: 'last'; count: number };

export interface ModelRead {
  records: ModelRecord[];
  // The counters the next read may start at: right after the last record returned; when none was, any
  // counter from where this read started up to the first live record (or the end), so that the next read
  // neither goes back nor skips a record that can still be read.
  nextCounter: [min: number, max: number];
  caughtUp: boolean;
  millisBehindLatest: number;
}

const SPACE = 1n << 128n;
export const HOUR = 3_600_000;

export function sequenceOf(shard: number, counter: number): string {
  return `1${String(shard).padStart(12, '0')}${String(counter).padStart(20, '0')}`;
}

export class StreamModel {
  private readonly shards: ModelRecord[][];
  private trimmedBefore = 0;

  constructor(shardCount: number, private retentionMs = 24 * HOUR) {
    this.shards = Array.from({ length: shardCount }, () => []);
  }

  get shardCount(): number {
    return this.shards.length;
  }

  // The shard whose range holds the hash key: range i starts at floor(2^128/N)*i.
  shardFor(partitionKey: string, explicitHashKey?: string): number {
    const key = explicitHashKey !== undefined ? BigInt(explicitHashKey) : BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
    const width = SPACE / BigInt(this.shards.length);
    return Math.min(this.shards.length - 1, Number(key / width));
  }

  put(partitionKey: string, data: string, now: number, explicitHashKey?: string): ModelRecord {
    const shard = this.shardFor(partitionKey, explicitHashKey);
    const records = this.shards[shard]!;
    const last = records.at(-1);
    const record = { shard, counter: (last?.counter ?? 0) + 1, arrivedAt: Math.max(now, last?.arrivedAt ?? 0), partitionKey, data };
    records.push(record);
    return record;
  }

  private cutoff(now: number): number {
    return Math.max(now - this.retentionMs, this.trimmedBefore);
  }

  // A retention change within the limits (24 h .. 8760 h, either direction); else the error code.
  setRetention(retentionMs: number, now: number): 'ok' | 'INVALID_ARGUMENT' {
    if (retentionMs === this.retentionMs) return 'ok';
    if (retentionMs < 24 * HOUR || retentionMs > 8760 * HOUR) return 'INVALID_ARGUMENT';
    this.trimmedBefore = this.cutoff(now);
    this.retentionMs = retentionMs;
    return 'ok';
  }

  read(shard: number, position: ModelPosition, limit: number, now: number): ModelRead | 'INVALID_ARGUMENT' {
    const records = this.shards[shard]!;
    const cutoff = this.cutoff(now);
    const newest = records.at(-1);
    const end = (newest?.counter ?? 0) + 1;
    // Where the read starts: a counter, or (by time) the first live record's place.
    let start: number | null = null;
    let fromIndex: number;
    switch (position.type) {
      case 'at-sequence':
      case 'after-sequence':
        if (position.shard !== shard) return 'INVALID_ARGUMENT';
        start = position.counter + (position.type === 'after-sequence' ? 1 : 0);
        fromIndex = records.findIndex((r) => r.counter >= start!);
        break;
      case 'latest':
        return { records: [], nextCounter: [end, end], caughtUp: true, millisBehindLatest: 0 };
      case 'last':
        if (position.count === 0) return { records: [], nextCounter: [end, end], caughtUp: true, millisBehindLatest: 0 };
        start = Math.max(1, end - position.count);
        fromIndex = records.findIndex((r) => r.counter >= start!);
        break;
      case 'trim-horizon':
        fromIndex = records.findIndex((r) => r.arrivedAt > cutoff);
        break;
      case 'at-timestamp':
        if (position.timestamp > now) return 'INVALID_ARGUMENT';
        fromIndex = records.findIndex((r) => r.arrivedAt >= Math.max(position.timestamp, cutoff + 1));
        break;
    }
    if (fromIndex === -1) fromIndex = records.length;
    const out: ModelRecord[] = [];
    let i = fromIndex;
    for (; i < records.length && out.length < limit; i++) {
      if (records[i]!.arrivedAt > cutoff) out.push(records[i]!);
    }
    const caughtUp = i >= records.length;
    const firstLive = records.slice(fromIndex).find((r) => r.arrivedAt > cutoff)?.counter ?? end;
    const nextCounter: [number, number] = out.length > 0 ? [out.at(-1)!.counter + 1, out.at(-1)!.counter + 1] : [start ?? 0, Math.max(start ?? 0, firstLive)];
    const millisBehindLatest = caughtUp || out.length === 0 ? 0 : Math.max(0, newest!.arrivedAt - out.at(-1)!.arrivedAt);
    return { records: out, nextCounter, caughtUp, millisBehindLatest };
  }

  // What describe shows of a shard: its live records, first and last live sequence numbers.
  describe(shard: number, now: number): { records: number; firstSequence: string | null; lastSequence: string | null } {
    const live = this.shards[shard]!.filter((r) => r.arrivedAt > this.cutoff(now));
    return {
      records: live.length,
      firstSequence: live.length > 0 ? sequenceOf(shard, live[0]!.counter) : null,
      lastSequence: live.length > 0 ? sequenceOf(shard, live.at(-1)!.counter) : null,
    };
  }

  // A counter that exists in the shard (for at/after positions), or a near one.
  counterAt(shard: number, pick: number): number {
    const records = this.shards[shard]!;
    return records.length === 0 ? pick % 3 : records[pick % records.length]!.counter + (pick % 7 === 0 ? 1 : 0);
  }

  arrivalAt(shard: number, pick: number): number | null {
    const records = this.shards[shard]!;
    return records.length === 0 ? null : records[pick % records.length]!.arrivedAt;
  }
}
