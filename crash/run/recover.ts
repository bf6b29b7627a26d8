// Recovery: the next mq commands on a crash state, run in this process through the CLI's own entry (the
// code the built binary runs, without a process start per command: thousands of states are checked).
// A clock can be given, to see the store as it will be later (visibility timeouts past).
import { main } from '../../src/cli/main.js';
import { openBackend } from '../../src/backends.js';
import type { Clock } from '../../src/core/clock.js';
import { memoryIo } from '../../test/helpers/memory-io.js';

export interface MqRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface MqOptions {
  stdin?: string;
  // Milliseconds ahead of the real clock the command runs at.
  laterMs?: number;
  env?: Record<string, string>;
}

export type MqRunner = (args: string[], options?: MqOptions) => Promise<MqRun>;

export function mqIn(home: string): MqRunner {
  return async (args, options = {}) => {
    const io = memoryIo(options.stdin ?? '', { MQ_HOME: home, ...options.env });
    const laterMs = options.laterMs ?? 0;
    const clock: Clock = { now: () => Date.now() + laterMs };
    const code = await main(args, io, laterMs === 0 ? {} : { openBackend: (request) => openBackend({ ...request, clock }) });
    return { code, stdout: io.output(), stderr: io.errors() };
  };
}

// NDJSON lines of a run's stdout.
export function jsonLines<T>(run: MqRun): T[] {
  return run.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}
