// Helpers for the `mq consume` tests: the runs the batch handler fixture logged, and waiting for a
// condition with a generous deadline (the tests assert outcomes, never how fast they came).
import fs from 'node:fs';

export interface HandlerRun {
  ok: boolean;
  worker: string;
  shard: string;
  group: string;
  stream: string;
  pid: number;
  at: number;
  records: { sequence: string; data: string; key: string; shard: string; arrivedAt: string }[];
}

export function handlerRuns(log: string): HandlerRun[] {
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as HandlerRun);
}

// Polls `condition` every 50 ms until it holds; fails after `timeoutMs` with what `describe` tells.
export async function waitFor(condition: () => boolean | Promise<boolean>, describe: () => string | Promise<string> = () => '', timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
