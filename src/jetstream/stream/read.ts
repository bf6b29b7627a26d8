// Reading a shard of a JetStream stream: a position becomes a first sequence (the shard's first or last
// sequence from its stream info, a sequence number's counter, or for a time the first record at or after
// it, found by binary search over message gets: stream times grow with sequences), then records are read
// from there: by message gets, in parallel, for a small page, or through an ephemeral consumer for a
// large one. A closed shard is read up to its ending sequence (never its fence); records past retention
// (hidden at once by a shorter retention, before the server drops them) are skipped.
import { invalidArgument } from '../../core/errors.js';
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import { STREAM_LIMITS } from '../../core/stream-attributes.js';
import { childShardsOf } from '../../core/resharding.js';
import type { ReadOptions, ReadResult, StreamPosition } from '../../core/stream-types.js';
import type { JetStreamEnv } from '../env.js';
import { headersOf } from '../client.js';
import { readWithConsumer, timestampOf } from '../ephemeral-reads.js';
import { parseAckSubject } from '../ack-subject.js';
import { toMqError } from '../js-errors.js';
import type { StoredRecord } from './records.js';
import { type StreamCatalog, type StreamRef, cutoffOf } from './stream-catalog.js';

// Pages up to this many records are read by message gets (one round trip, in parallel); larger ones
// through a consumer (three round trips, then one pull per 10,000).
const GET_PAGE = 64;

export interface ShardWindow {
  // Sequences readable now: [first, last] (last < first when none).
  first: number;
  last: number;
  lastArrivedAt: number;
}

export interface ShardRead {
  records: StoredRecord[];
  // The counter of the last record read, or the one before where the read started.
  nextCounter: number;
  caughtUp: boolean;
  millisBehindLatest: number;
}

export class ShardReader {
  constructor(private readonly env: JetStreamEnv, private readonly catalog: StreamCatalog) {}

  private stream(ref: StreamRef, shard: ShardDefinition): string {
    return this.env.names.shardStream(ref.name, shard.index);
  }

  // The sequences a shard holds now (a closed shard's up to its end), after retention.
  async window(ref: StreamRef, shard: ShardDefinition): Promise<ShardWindow> {
    const state = await this.catalog.shardState(ref.name, shard.index).catch((error: unknown) => Promise.reject(toMqError(error, this.env.client.where)));
    if (!state || state.messages === 0) return { first: state ? state.last_seq + 1 : 1, last: state?.last_seq ?? 0, lastArrivedAt: 0 };
    let last = state.last_seq;
    let lastArrivedAt = Date.parse(state.last_ts);
    if (shard.endingCounter !== undefined && last > shard.endingCounter) {
      last = shard.endingCounter;
      lastArrivedAt = last >= state.first_seq ? (await this.get(ref, shard, last))?.time ?? 0 : 0;
    }
    let first = state.first_seq;
    const cutoff = cutoffOf(ref.record, this.env.clock.now());
    if (Date.parse(state.first_ts) <= cutoff) first = await this.firstAtOrAfter(ref, shard, first, last, cutoff + 1);
    return { first, last, lastArrivedAt };
  }

  private async get(ref: StreamRef, shard: ShardDefinition, seq: number): Promise<StoredRecord | null> {
    const message = await this.env.client.getMessage(this.stream(ref, shard), { seq });
    return message ? { seq: message.seq, time: message.time, headers: message.headers, data: message.data } : null;
  }

  // The first sequence in [lo, hi] whose record arrived at or after `time` (hi + 1 when none did).
  async firstAtOrAfter(ref: StreamRef, shard: ShardDefinition, lo: number, hi: number, time: number): Promise<number> {
    let low = lo;
    let high = hi + 1;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const record = await this.get(ref, shard, mid);
      if (record && record.time >= time) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  // The first sequence a position reads from.
  async startOf(ref: StreamRef, shard: ShardDefinition, from: StreamPosition, window: ShardWindow): Promise<number> {
    switch (from.type) {
      case 'trim-horizon':
        return window.first;
      case 'latest':
        return window.last + 1;
      case 'at-sequence':
        return Math.max(counterInShard(from.sequence, shard.index), window.first);
      case 'after-sequence':
        return Math.max(counterInShard(from.sequence, shard.index) + 1, window.first);
      case 'at-timestamp': {
        if (from.timestamp > this.env.clock.now() + 1000) throw invalidArgument('the timestamp is in the future');
        if (window.last < window.first) return window.first;
        return this.firstAtOrAfter(ref, shard, window.first, window.last, from.timestamp);
      }
      case 'last':
        if (!Number.isInteger(from.count) || from.count < 0) throw invalidArgument(`count must be a non-negative integer, got ${from.count}`);
        return Math.max(window.first, window.last - from.count + 1);
    }
  }

  async read(ref: StreamRef, shard: ShardDefinition, from: StreamPosition, options: ReadOptions): Promise<ShardRead & { shardEnd: boolean }> {
    const { min, max, default: fallback } = STREAM_LIMITS.readLimit;
    const limit = options.limit ?? fallback;
    if (!Number.isInteger(limit) || limit < min || limit > max) throw invalidArgument(`limit must be between ${min} and ${max}, got ${limit}`);
    const window = await this.window(ref, shard);
    const start = await this.startOf(ref, shard, from, window);
    // A `last` read wants the newest records: its count is its limit.
    const count = Math.max(0, Math.min(from.type === 'last' ? Math.min(from.count, limit) : limit, window.last - start + 1));
    let records = count === 0 ? [] : await this.fetch(ref, shard, start, count);
    const cutoff = cutoffOf(ref.record, this.env.clock.now());
    records = records.filter((r) => r.time > cutoff);
    let windowDone = false;
    if (options.until !== undefined) {
      const end = records.findIndex((r) => r.time >= options.until!);
      if (end !== -1) {
        records = records.slice(0, end);
        windowDone = true;
      }
    }
    const lastRead = records.at(-1);
    const nextCounter = lastRead ? lastRead.seq : start - 1;
    const caughtUp = windowDone || nextCounter >= window.last;
    const millisBehindLatest = caughtUp || !lastRead ? 0 : Math.max(0, window.lastArrivedAt - lastRead.time);
    const shardEnd = shard.state === 'closed' && shard.endingCounter !== undefined && !windowDone && nextCounter >= shard.endingCounter && caughtUp;
    return { records, nextCounter, caughtUp, millisBehindLatest, shardEnd };
  }

  // Records [start, start + count) of a shard, in order (fewer when some expired meanwhile).
  private async fetch(ref: StreamRef, shard: ShardDefinition, start: number, count: number): Promise<StoredRecord[]> {
    const stream = this.stream(ref, shard);
    if (count <= GET_PAGE) {
      const got = await Promise.all(Array.from({ length: count }, (_, n) => this.get(ref, shard, start + n)));
      const records: StoredRecord[] = [];
      for (const record of got) {
        if (record) records.push(record);
        else if (records.length > 0) break;
      }
      return records;
    }
    const messages = await readWithConsumer(this.env.client, stream, { deliver_policy: 'by_start_sequence', opt_start_seq: start }, { max: count });
    return messages.map((msg) => ({ seq: parseAckSubject(msg.reply ?? '')?.streamSeq ?? 0, time: timestampOf(msg), headers: headersOf(msg), data: msg.data }));
  }
}

export function readResultOf(ref: StreamRef, shard: ShardDefinition, read: ShardRead & { shardEnd: boolean }): Omit<ReadResult, 'records'> {
  const next: StreamPosition = { type: 'after-sequence', sequence: formatSequence(shard.index, Math.max(read.nextCounter, 0)) };
  const result = { next, caughtUp: read.caughtUp, millisBehindLatest: read.millisBehindLatest, shardEnd: read.shardEnd };
  return read.shardEnd ? { ...result, childShards: childShardsOf(ref.record.shards, shard.index) } : result;
}
