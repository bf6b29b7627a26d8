// The worker process of the torture harness (bundled with every scenario by harness.ts): runs one
// incarnation of a role of a scenario, with an append-only log, and, when the harness planned it, gets
// itself killed with SIGKILL at a random point inside the Nth operation of a chosen kind. The kill comes
// from a second thread, so it lands anywhere in the operation, synchronous file-system calls included.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Rng } from './random.js';
import type { Entry, Scenario, WorkerContext } from './scenario.js';
import { logFileName, outputFileName, previousEntries } from './worker-log.js';

export interface KillPlan {
  kind: string;
  // Killed inside the occurrence-th (0-based) operation of that kind.
  occurrence: number;
  // The delay after the operation starts, as a multiple of that kind's mean duration so far in this
  // process: below 1 mostly lands inside it, above 1 in what follows (logging it, the next operation).
  factor: number;
}

export interface WorkerSpec {
  scenario: string;
  role: string;
  slot: number;
  incarnation: number;
  seed: number;
  home: string;
  logDir: string;
  stopAt: number;
  maxOps: number;
  params: Record<string, unknown>;
  kill: KillPlan | null;
}

// A thread that waits to be armed, then waits the given microseconds and kills the whole process.
const KILLER = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData);
Atomics.wait(control, 0, 0);
const delayUs = Atomics.load(control, 1);
if (delayUs > 0) Atomics.wait(control, 2, 0, delayUs / 1000);
process.kill(process.pid, 'SIGKILL');
`;

async function startKiller(): Promise<(delayUs: number) => void> {
  const control = new Int32Array(new SharedArrayBuffer(12));
  const thread = new Worker(KILLER, { eval: true, workerData: control.buffer });
  await new Promise((resolve) => thread.once('online', resolve));
  thread.unref();
  return (delayUs) => {
    Atomics.store(control, 1, Math.max(0, Math.round(delayUs)));
    Atomics.store(control, 0, 1);
    Atomics.notify(control, 0);
  };
}

export async function runWorker(scenarios: Scenario[]): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as WorkerSpec;
  const scenario = scenarios.find((s) => s.name === spec.scenario);
  if (!scenario) throw new Error(`no scenario ${spec.scenario}`);
  const logFd = fs.openSync(path.join(spec.logDir, logFileName(spec)), 'a');
  const outputs = new Map<string, number>();
  const arm = spec.kill ? await startKiller() : null;
  const counts = new Map<string, number>();
  const means = new Map<string, { total: number; n: number }>();
  let ops = 0;
  const w: WorkerContext = {
    home: spec.home,
    role: spec.role,
    slot: spec.slot,
    incarnation: spec.incarnation,
    rng: new Rng(spec.seed),
    params: spec.params,
    tag: `${spec.role[0]}${spec.slot}.${spec.incarnation}`,
    log(entry: Entry) {
      fs.writeSync(logFd, `${JSON.stringify(entry)}\n`);
    },
    outputFd(name: string) {
      if (!outputs.has(name)) outputs.set(name, fs.openSync(path.join(spec.logDir, outputFileName(spec, name)), 'a'));
      return outputs.get(name)!;
    },
    more: () => ops < spec.maxOps && Date.now() < spec.stopAt,
    async op<T>(kind: string, fn: () => Promise<T>): Promise<T> {
      ops++;
      const occurrence = counts.get(kind) ?? 0;
      counts.set(kind, occurrence + 1);
      if (arm && spec.kill!.kind === kind && spec.kill!.occurrence === occurrence) {
        const mean = means.get(kind);
        const meanUs = mean ? (mean.total / mean.n) * 1000 : 1000;
        w.log({ t: 'arm', op: kind });
        arm(spec.kill!.factor * meanUs);
      }
      const started = performance.now();
      const result = await fn();
      const stat = means.get(kind) ?? { total: 0, n: 0 };
      stat.total += performance.now() - started;
      stat.n++;
      means.set(kind, stat);
      return result;
    },
    previous: () => previousEntries(spec.logDir, spec),
  };
  try {
    await scenario.work(spec.role, w);
    // An armed kill still on its way lands in the process's last steps, not after a clean exit.
    if (arm && counts.get(spec.kill!.kind)! > spec.kill!.occurrence) await new Promise((resolve) => setTimeout(resolve, 200));
  } catch (error) {
    w.log({ t: 'crash', message: String((error as Error)?.message ?? error), stack: String((error as Error)?.stack ?? '') });
    process.exitCode = 1;
  }
}
