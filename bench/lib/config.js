// Benchmark sizes, from the environment. BENCH_QUICK=1 picks small sizes for a smoke test.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const quick = process.env.BENCH_QUICK === '1';

// A positive integer from the environment variable `name` (underscores allowed), or `fallback`.
export function int(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const messages = int('BENCH_MESSAGES', quick ? 2_000 : 100_000);

export const config = {
  quick,
  // Messages sent and drained in cases 1 and 2.
  messages,
  // Interleaved rounds of the non-durable send and drain comparisons (best run reported).
  rounds: int('BENCH_ROUNDS', quick ? 1 : 3),
  // Messages for the per-message durable floor (about 1,000/s here); defaults to the same count.
  durableFloorMessages: int('BENCH_DURABLE_FLOOR_MESSAGES', messages),
  bodyBytes: int('BENCH_BODY_BYTES', 100),
  // Messages per `mq receive --delete` in the drain: mq's maximum, since each batch is a process start.
  drainBatch: int('BENCH_DRAIN_BATCH', 10_000),
  backlogSmall: int('BENCH_BACKLOG_SMALL', 1_000),
  backlog: int('BENCH_BACKLOG', quick ? 20_000 : 1_000_000),
  latencyRuns: int('BENCH_LATENCY_RUNS', quick ? 5 : 21),
  startupRuns: int('BENCH_STARTUP_RUNS', quick ? 5 : 21),
  // Messages per FIFO throughput measurement (case fifo).
  fifoMessages: int('BENCH_FIFO_MESSAGES', quick ? 2_000 : 20_000),
  tmpRoot: process.env.BENCH_TMP || path.join(repoRoot, '.bench-tmp'),
  keep: process.env.BENCH_KEEP === '1',
};
