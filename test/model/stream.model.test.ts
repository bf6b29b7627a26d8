// Model-based property test of streams: random puts (partition keys and explicit hash keys), reads from
// every kind of position (trim-horizon, latest, at/after a sequence number, a time, the last N, and the
// `next` of an earlier read), retention changes and clock moves, against the stream model with the same
// fake clock; and puts while the clock goes back and forth (within the retention period). Segments are tiny, so reads seek across many files and retention deletes whole ones. Any
// divergence fails, and fast-check shrinks the sequence to a minimal one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import type { StreamPosition } from '../../src/core/stream-types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempHome } from '../helpers/tmp-home.js';
import { HOUR, type ModelPosition, StreamModel, sequenceOf } from './stream-model.js';

type Where =
  | { kind: 'trim-horizon' | 'latest' }
  | { kind: 'at-sequence' | 'after-sequence'; pick: number; otherShard: boolean }
  | { kind: 'at-timestamp'; pick: number; offsetMs: number }
  | { kind: 'last'; count: number }
  | { kind: 'next'; pick: number };

type Op =
  | { kind: 'put'; entries: { key: string; hash: string | null; data: string }[] }
  | { kind: 'read'; shard: number; where: Where; limit: number }
  | { kind: 'retention'; hours: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'describe' };

const where: fc.Arbitrary<Where> = fc.oneof(
  fc.record({ kind: fc.constantFrom('trim-horizon' as const, 'latest' as const) }),
  fc.record({ kind: fc.constantFrom('at-sequence' as const, 'after-sequence' as const), pick: fc.nat(50), otherShard: fc.nat(9).map((n) => n === 0) }),
  fc.record({ kind: fc.constant('at-timestamp' as const), pick: fc.nat(50), offsetMs: fc.constantFrom(0, -1, 1, -HOUR, 2 * HOUR) }),
  fc.record({ kind: fc.constant('last' as const), count: fc.nat(6) }),
  fc.record({ kind: fc.constant('next' as const), pick: fc.nat(50) }),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant('put' as const),
    entries: fc.array(fc.record({
      key: fc.constantFrom('a', 'b', 'user-42', 'é', 'x'.repeat(256)),
      hash: fc.option(fc.constantFrom('0', '1', String(2n ** 126n), String(2n ** 127n), String(2n ** 127n - 1n), String(2n ** 128n - 1n)), { freq: 3 }),
      data: fc.string({ maxLength: 12 }),
    }), { minLength: 1, maxLength: 4 }),
  }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), shard: fc.nat(3), where, limit: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retention' as const), hours: fc.constantFrom(23, 24, 25, 48, 100, 8760, 8761) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(0, 1, 1000, HOUR, 12 * HOUR, 23 * HOUR, 25 * HOUR) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'describe' as const }) },
);

const STREAM = 'ev';

describe('the file store against the stream model', () => {
  it('agrees on routing, sequence numbers, every read position, retention and lag', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(op, { minLength: 1, maxLength: 40 }), async (shardCount, ops) => {
        const clock = new FakeClock();
        const streams = createFsBackend({ home: tempHome(), clock, durability: 'none', streamSegmentBytes: 400 }).streams;
        await streams.create(STREAM, { shardCount });
        const model = new StreamModel(shardCount);
        const shardId = (i: number) => `shardId-${String(i).padStart(12, '0')}`;
        // The `next` positions earlier reads returned, with the shard they belong to.
        const nexts: { shard: number; position: StreamPosition }[] = [];
        for (const step of ops) {
          const now = clock.now();
          switch (step.kind) {
            case 'put': {
              const outcomes = await streams.put(STREAM, step.entries.map((e) => ({ data: e.data, partitionKey: e.key, ...(e.hash === null ? {} : { explicitHashKey: e.hash }) })));
              const expected = step.entries.map((e) => model.put(e.key, e.data, now, e.hash ?? undefined));
              expect(outcomes).toEqual(expected.map((r) => ({ ok: true, shardId: shardId(r.shard), sequence: sequenceOf(r.shard, r.counter) })));
              break;
            }
            case 'read': {
              const shard = step.shard % shardCount;
              let storePosition: StreamPosition;
              let modelPosition: ModelPosition;
              const w = step.where;
              if (w.kind === 'at-sequence' || w.kind === 'after-sequence') {
                const of = w.otherShard && shardCount > 1 ? (shard + 1) % shardCount : shard;
                const counter = model.counterAt(of, w.pick);
                storePosition = { type: w.kind, sequence: sequenceOf(of, counter) };
                modelPosition = { type: w.kind, shard: of, counter };
              } else if (w.kind === 'at-timestamp') {
                const timestamp = (model.arrivalAt(shard, w.pick) ?? now) + w.offsetMs;
                storePosition = { type: 'at-timestamp', timestamp };
                modelPosition = storePosition;
              } else if (w.kind === 'last') {
                storePosition = { type: 'last', count: w.count };
                modelPosition = storePosition;
              } else if (w.kind === 'next') {
                const saved = nexts.filter((n) => n.shard === shard);
                if (saved.length === 0) break;
                storePosition = saved[w.pick % saved.length]!.position;
                const counter = Number((storePosition as { sequence: string }).sequence.slice(13));
                modelPosition = { type: 'after-sequence', shard, counter };
              } else {
                storePosition = { type: w.kind };
                modelPosition = { type: w.kind };
              }
              const expected = model.read(shard, modelPosition, step.limit, now);
              const actual = await streams.read(STREAM, shardId(shard), storePosition, { limit: step.limit }).catch((e: { code: string }) => e.code);
              if (expected === 'INVALID_ARGUMENT' || typeof actual === 'string') {
                expect([step, actual]).toEqual([step, expected]);
                break;
              }
              const next = actual.next as { type: string; sequence: string };
              const nextCounter = Number(next.sequence.slice(13)) + 1;
              const [min, max] = expected.nextCounter;
              expect({ ...actual, next: { type: next.type, shard: next.sequence.slice(1, 13), inRange: nextCounter >= min && nextCounter <= max } }).toEqual({
                records: expected.records.map((r) => ({ shardId: shardId(shard), sequence: sequenceOf(shard, r.counter), arrivedAt: r.arrivedAt, partitionKey: r.partitionKey, data: r.data })),
                next: { type: 'after-sequence', shard: String(shard).padStart(12, '0'), inRange: true },
                caughtUp: expected.caughtUp,
                millisBehindLatest: expected.millisBehindLatest,
                shardEnd: false, // the model never reshards, so no shard ever ends
              });
              nexts.push({ shard, position: actual.next });
              break;
            }
            case 'retention': {
              const expected = model.setRetention(step.hours * HOUR, now);
              const actual = await streams.setRetention(STREAM, step.hours * HOUR).then(() => 'ok', (e: { code: string }) => e.code);
              expect([step.hours, actual]).toEqual([step.hours, expected]);
              break;
            }
            case 'advance':
              clock.advance(step.ms);
              break;
            case 'describe': {
              const described = await streams.describe(STREAM);
              expect(described.shards.map((s) => ({ records: s.records, firstSequence: s.firstSequence, lastSequence: s.lastSequence })))
                .toEqual(Array.from({ length: shardCount }, (_, i) => model.describe(i, now)));
              break;
            }
          }
        }
      }),
      { numRuns: Number(process.env.MQ_MODEL_RUNS ?? 150) },
    );
  });

  it('never lets arrival times go back within a shard, whatever the clock does', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c'), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('clock' as const), ms: fc.constantFrom(-2 * HOUR, -1000, -1, 1, 1000, HOUR) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(step, { minLength: 1, maxLength: 30 }), async (shardCount, steps) => {
        // The clock stays within 10 h of where it started: nothing expires meanwhile.
        const clock = new FakeClock();
        const streams = createFsBackend({ home: tempHome(), clock, durability: 'none', streamSegmentBytes: 400 }).streams;
        await streams.create(STREAM, { shardCount });
        const model = new StreamModel(shardCount);
        let offset = 0;
        for (const move of steps) {
          if (move.kind === 'clock') {
            if (Math.abs(offset + move.ms) > 10 * HOUR) continue;
            offset += move.ms;
            clock.advance(move.ms);
            continue;
          }
          await streams.put(STREAM, Array.from({ length: move.count }, () => ({ data: move.key, partitionKey: move.key })));
          for (let i = 0; i < move.count; i++) model.put(move.key, move.key, clock.now());
        }
        for (let shard = 0; shard < shardCount; shard++) {
          const { records } = await streams.read(STREAM, `shardId-${String(shard).padStart(12, '0')}`, { type: 'trim-horizon' });
          const expected = model.read(shard, { type: 'trim-horizon' }, 10_000, clock.now());
          expect(records.map((r) => [r.sequence, r.arrivedAt])).toEqual(expected === 'INVALID_ARGUMENT' ? [] : expected.records.map((r) => [sequenceOf(shard, r.counter), r.arrivedAt]));
          expect(records.every((r, i) => i === 0 || r.arrivedAt >= records[i - 1]!.arrivedAt)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.MQ_MODEL_RUNS ?? 150) },
    );
  });
});
