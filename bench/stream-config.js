// Sizes of the stream benchmarks, from the environment. BENCH_QUICK=1 picks small sizes for a smoke run.
import { int } from './lib/config.js';

const quick = process.env.BENCH_QUICK === '1';


export const streamConfig = {
  quick,
  // Case 1: records put from stdin, and their size.
  putRecords: int('BENCH_STREAM_RECORDS', quick ? 50_000 : 1_000_000),
  recordBytes: int('BENCH_STREAM_RECORD_BYTES', 100),
  // Case 2: the stream replayed is filled up to this many MiB of segment files.
  replayMiB: int('BENCH_REPLAY_MIB', quick ? 32 : 1024),
  // Case 3: records in the big and the small shard, and seeks timed in each.
  seekBig: int('BENCH_SEEK_BIG', quick ? 200_000 : 10_000_000),
  seekSmall: int('BENCH_SEEK_SMALL', 10_000),
  seekRuns: int('BENCH_SEEK_RUNS', quick ? 5 : 21),
  // Runs of each timed command in cases 1 and 2 (the best is kept: the machine is noisy).
  runs: int('BENCH_STREAM_RUNS', quick ? 1 : 3),
};
