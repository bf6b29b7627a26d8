// Helpers the scenarios share: the monotonic clock the logs use, running the mq CLI inside a worker
// process (its real code paths without a process start per command), and small utilities.
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

// Nanoseconds of the monotonic clock, as a string (one clock for every process on the machine).
export function nowNs(): string {
  return process.hrtime.bigint().toString();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CliRun {
  exitCode: number;
  stderr: string;
}

// Runs `mq ARGS` in this process with `input` on stdin; every line it prints goes to `onLine` as soon as
// it is written (so a process killed half-way has logged exactly what mq had printed).
export async function runCli(args: string[], env: Record<string, string>, input: string, onLine: (line: string) => void): Promise<CliRun> {
  let pending = '';
  let stderr = '';
  const io: Io = {
    stdin: Readable.from([Buffer.from(input)]),
    stdout: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const text = pending + chunk.toString('utf8');
        const lines = text.split('\n');
        pending = lines.pop()!;
        for (const line of lines) onLine(line);
        callback();
      },
    }),
    stderr: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        stderr += chunk.toString('utf8');
        callback();
      },
    }),
    env,
    interruptSignal: () => new AbortController().signal,
  };
  const exitCode = await main(args, io);
  return { exitCode, stderr };
}
