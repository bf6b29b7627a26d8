// Model-based property test: random sequences of operations run against the file store and against
// the reference model with the same fake clock; any divergence fails, and fast-check shrinks the
// sequence to a minimal one (printed with its seed for replay).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempHome } from '../helpers/tmp-home.js';
import { StandardQueueModel } from './standard-queue-model.js';

type Op =
  | { kind: 'send'; bodies: string[]; delayMs: number }
  | { kind: 'receive'; max: number; visibilityTimeoutMs: number }
  | { kind: 'ack'; pick: number }
  | { kind: 'changeVisibility'; pick: number; timeoutMs: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'stats' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), bodies: fc.array(fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 4 }), delayMs: fc.constantFrom(0, 0, 500, 5000) }),
  fc.record({ kind: fc.constant('receive' as const), max: fc.integer({ min: 1, max: 5 }), visibilityTimeoutMs: fc.constantFrom(0, 1000, 3000, 30_000) }),
  fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('changeVisibility' as const), pick: fc.nat(), timeoutMs: fc.constantFrom(0, 1000, 10_000, 43_200_000) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1, 400, 1000, 2500, 20_000, 45_000) }),
  fc.constant({ kind: 'stats' as const }),
);

const RETENTION_MS = 60_000;

describe('the file store against the standard queue model', () => {
  it('agrees on every receive, ack, visibility change and count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const clock = new FakeClock();
        const q = createFsBackend({ home: tempHome(), clock, durability: 'none' }).queues;
        await q.create('q', { retentionMs: RETENTION_MS });
        const model = new StandardQueueModel(RETENTION_MS);
        const receipts: string[] = [];
        for (const step of ops) {
          const now = clock.now();
          switch (step.kind) {
            case 'send': {
              const outcomes = await q.send('q', step.bodies.map((body) => ({ body, delayMs: step.delayMs })));
              outcomes.forEach((o, i) => {
                if (!o.ok) throw o.error;
                model.send(o.id, step.bodies[i]!, now, step.delayMs);
              });
              break;
            }
            case 'receive': {
              const expected = model.receive(now, step.max);
              const received = await q.receive('q', { max: step.max, visibilityTimeoutMs: step.visibilityTimeoutMs });
              expect(received.map((m) => [m.id, m.body, m.receiveCount])).toEqual(expected.map((m) => [m.id, m.body, m.receiveCount + 1]));
              for (const m of received) {
                model.deliver(m.id, m.receipt!, now, step.visibilityTimeoutMs);
                receipts.push(m.receipt!);
              }
              break;
            }
            case 'ack': {
              if (receipts.length === 0) break;
              const receipt = receipts[step.pick % receipts.length]!;
              const [outcome] = await q.ack('q', [receipt]);
              expect(outcome!.ok).toBe(model.ack(receipt));
              break;
            }
            case 'changeVisibility': {
              if (receipts.length === 0) break;
              const receipt = receipts[step.pick % receipts.length]!;
              const expected = model.changeVisibility(receipt, step.timeoutMs, now);
              const actual = await q.changeVisibility('q', receipt, step.timeoutMs).then(() => 'ok', (e: { code: string }) => e.code);
              expect(actual).toBe(expected);
              break;
            }
            case 'advance':
              clock.advance(step.ms);
              break;
            case 'stats': {
              const stats = await q.stats('q');
              expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual(model.counts(now));
              break;
            }
          }
        }
        const stats = await q.stats('q');
        expect({ visible: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed }).toEqual(model.counts(clock.now()));
      }),
      { numRuns: Number(process.env.MQ_MODEL_RUNS ?? 150) },
    );
  });
});
