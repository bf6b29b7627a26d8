// Model-based property test of FIFO queues: random sends (with repeated dedup ids), receives, acks,
// visibility changes and clock moves against the FIFO model; shrinks to a minimal failing sequence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempHome } from '../helpers/tmp-home.js';
import { FifoQueueModel } from './fifo-queue-model.js';

type Op =
  | { kind: 'send'; entries: { group: string; dedupId: string }[] }
  | { kind: 'receive'; max: number; visibilityTimeoutMs: number }
  | { kind: 'ack'; pick: number }
  | { kind: 'changeVisibility'; pick: number; timeoutMs: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'stats' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    entries: fc.array(fc.record({ group: fc.constantFrom('a', 'b', 'c'), dedupId: fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6') }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('receive' as const), max: fc.integer({ min: 1, max: 5 }), visibilityTimeoutMs: fc.constantFrom(0, 1000, 30_000) }),
  fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('changeVisibility' as const), pick: fc.nat(), timeoutMs: fc.constantFrom(0, 2000) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1, 999, 1000, 60_000, 240_000) }),
  fc.constant({ kind: 'stats' as const }),
);

describe('the file store against the FIFO queue model', () => {
  it('keeps group order, holds back busy groups, deduplicates, and counts exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const clock = new FakeClock();
        const q = createFsBackend({ home: tempHome(), clock, durability: 'none' }).queues;
        await q.create('q.fifo');
        const model = new FifoQueueModel();
        const receipts: string[] = [];
        let counter = 0;
        for (const step of ops) {
          const now = clock.now();
          switch (step.kind) {
            case 'send': {
              const requests = step.entries.map((e) => ({ body: `m${counter++}`, group: e.group, dedupId: e.dedupId }));
              const outcomes = await q.send('q.fifo', requests);
              outcomes.forEach((o, i) => {
                if (!o.ok) throw o.error;
                const expected = model.send(o.id, requests[i]!.body, requests[i]!.group, requests[i]!.dedupId, now);
                expect([o.id, Boolean(o.duplicate)]).toEqual([expected.id, expected.duplicate]);
              });
              break;
            }
            case 'receive': {
              const received = await q.receive('q.fifo', { max: step.max, visibilityTimeoutMs: step.visibilityTimeoutMs });
              expect(model.problemWith(received.map((m) => ({ id: m.id, group: m.group! })), step.max, now)).toBeNull();
              for (const m of received) {
                expect(m.receiveCount).toBe(model.receiveCountOf(m.id) + 1);
                model.deliver(m.id, m.receipt!, now, step.visibilityTimeoutMs);
                receipts.push(m.receipt!);
              }
              break;
            }
            case 'ack': {
              if (receipts.length === 0) break;
              const receipt = receipts[step.pick % receipts.length]!;
              const [outcome] = await q.ack('q.fifo', [receipt]);
              expect(model.ack(receipt, now, outcome!.ok)).toBeNull();
              break;
            }
            case 'changeVisibility': {
              if (receipts.length === 0) break;
              const receipt = receipts[step.pick % receipts.length]!;
              const expected = model.changeVisibility(receipt, step.timeoutMs, now);
              const actual = await q.changeVisibility('q.fifo', receipt, step.timeoutMs).then(() => 'ok', (e: { code: string }) => e.code);
              expect(actual).toBe(expected);
              break;
            }
            case 'advance':
              clock.advance(step.ms);
              break;
            case 'stats': {
              const stats = await q.stats('q.fifo');
              expect({ visible: stats.visible, inFlight: stats.inFlight }).toEqual(model.counts(now));
              break;
            }
          }
        }
      }),
      { numRuns: Number(process.env.MQ_MODEL_RUNS ?? 150) },
    );
  });
});
