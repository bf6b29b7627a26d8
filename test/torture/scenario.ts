// What a torture scenario is: roles of worker processes that drive mq and log what they know for
// certain, a recovery step, and a check of those logs against the recovered store. The harness
// (harness.ts) finds every file in scenarios/ and runs each one; a new scenario (resharding, leases) is
// one more file there. Scenario files run in two places: the test process (setup, recover, check) and
// the worker processes (work), so they must not import vitest.
import type { Rng } from './random.js';

// A role: how many processes of it run at once, and the operations its processes get killed inside
// (the `kind`s its work passes to WorkerContext.op). Role names are lower-case letters and dashes.
export interface RoleSpec {
  name: string;
  slots: number;
  kills: string[];
}

// The test-process side of one scenario run.
export interface HarnessEnv {
  home: string;
  rng: Rng;
  // Chosen by setup (shard count, durability, timeouts) and handed to every worker.
  params: Record<string, unknown>;
  // Where recovery may write files of its own.
  workDir: string;
  // 'short' (npm test) or 'full' (npm run torture).
  form: 'short' | 'full';
  // Appends to the log of a "setup" process, for what setup itself sent (checked like any worker's).
  log(entry: Entry): void;
}

// One entry of a worker's append-only log. `t` says what it records.
export type Entry = { t: string } & Record<string, unknown>;

// Everything one worker process (one incarnation of a slot) wrote, and how it ended.
export interface WorkerLog {
  role: string;
  slot: number;
  incarnation: number;
  entries: Entry[];
  // Extra files the worker wrote (an `mq tail` stdout, say), by name, with their text.
  outputs: Record<string, string>;
  ending: 'clean' | 'killed' | 'crashed';
}

// The worker-process side: the store, a random source, an append-only log, and `op`, which wraps each
// operation so the harness can have the process killed at a random point inside it.
export interface WorkerContext {
  home: string;
  role: string;
  slot: number;
  incarnation: number;
  rng: Rng;
  params: Record<string, unknown>;
  // A tag unique to this process, for the bodies and records it makes.
  tag: string;
  // Appends one entry (one write, synchronous): what the process knows for certain at this point.
  log(entry: Entry): void;
  // Opens (once) an extra output file of this process, whose text the check gets in WorkerLog.outputs.
  outputFd(name: string): number;
  // Whether to go on: false once the run is over or this process has done its share.
  more(): boolean;
  op<T>(kind: string, fn: () => Promise<T>): Promise<T>;
  // The entries of this slot's earlier processes (to retry what a killed predecessor left unfinished).
  previous(): Entry[];
}

export interface Verdict {
  // Completed operations by kind, as the logs show them.
  operations: Record<string, number>;
  // How many messages or records were checked against the guarantees.
  checked: number;
  violations: string[];
  // Anything else worth printing (leftover temp files, say).
  notes: string[];
}

export interface Scenario<R = unknown> {
  name: string;
  description: string;
  roles: RoleSpec[];
  setup(env: HarnessEnv): Promise<void>;
  work(role: string, w: WorkerContext): Promise<void>;
  // Once every worker is gone: wait out timeouts, let the janitors run, drain what is left.
  recover(env: HarnessEnv, logs: WorkerLog[]): Promise<R>;
  check(logs: WorkerLog[], recovered: R, env: HarnessEnv): Verdict;
}

export function defineScenario<R>(scenario: Scenario<R>): Scenario<R> {
  return scenario;
}

// Counts entries by kind for a Verdict.
export function countOperations(logs: WorkerLog[], kinds: Record<string, (entry: Entry) => number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const log of logs) {
    for (const entry of log.entries) {
      const count = kinds[entry.t];
      if (count) counts[entry.t] = (counts[entry.t] ?? 0) + count(entry);
    }
  }
  return counts;
}
