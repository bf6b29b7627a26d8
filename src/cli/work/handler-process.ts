// The CLI's handler for the workers (src/workers): runs the handler command for one message or batch:
// argv straight to spawn (never a shell, and the message never on the command line), the input on its
// stdin, MQ_* facts in its environment, its stdout and stderr passed through. A `timeoutMs` kills it:
// SIGTERM, then SIGKILL after a grace period. Exit 0 is success; a command that cannot start is fatal.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { formatDuration } from '../../core/units.js';
import type { HandlerOutcome } from '../../workers/handler.js';

export type ProcessOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'timedOut'; timeoutMs: number }
  // The command could not be started at all (not found, not executable): no message can succeed.
  | { kind: 'spawnFailed'; error: NodeJS.ErrnoException };

export interface HandlerRun {
  command: string[];
  env: Record<string, string | undefined>;
  body: string;
  stdout: Writable;
  stderr: Writable;
  timeoutMs?: number;
  killGraceMs: number;
}

// A stream backed by a file descriptor (the real stdout/stderr) is handed to the child as is, so its
// output is not copied through mq and it sees the same terminal; any other stream (tests) is piped.
function stdioFor(stream: Writable): number | 'pipe' {
  const fd = (stream as { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : 'pipe';
}

// The handler runs as the leader of its own process group: a Ctrl-C on the terminal then reaches mq
// alone, which lets running handlers finish (as documented), and a timeout can stop the handler's own
// children too by signalling the whole group.
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export function runHandler(run: HandlerRun): Promise<ProcessOutcome> {
  const [file, ...args] = run.command;
  const out = stdioFor(run.stdout);
  const err = stdioFor(run.stderr);
  return new Promise((resolve) => {
    const child = spawn(file!, args, { env: run.env, stdio: ['pipe', out, err], detached: true, shell: false });
    const streamsDone: Promise<void>[] = [];
    for (const [from, to] of [[child.stdout, run.stdout], [child.stderr, run.stderr]] as const) {
      if (from) {
        from.pipe(to, { end: false });
        streamsDone.push(new Promise((done) => from.once('close', done)));
      }
    }
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeoutTimer = run.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), run.killGraceMs);
    }, run.timeoutMs);
    const finish = (outcome: ProcessOutcome, afterOutput = true) => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      // Piped output is all passed on before the outcome counts (an exit can overtake its last output).
      if (afterOutput) void Promise.all(streamsDone).then(() => resolve(outcome));
      else resolve(outcome);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Before a pid there is no process: the command itself is the problem.
      if (child.pid === undefined) finish({ kind: 'spawnFailed', error }, false);
    });
    child.once('exit', (code, signal) => {
      if (timedOut) finish({ kind: 'timedOut', timeoutMs: run.timeoutMs! });
      else if (signal !== null) finish({ kind: 'signaled', signal });
      else finish({ kind: 'exited', code: code ?? 1 });
    });
    // A handler may exit without reading its input: the broken pipe is its business, not an error here.
    child.stdin!.on('error', () => {});
    child.stdin!.end(run.body, 'utf8');
  });
}

// The command as a worker's handler: exit status 0 is success, a command that cannot start is fatal.
export function commandHandler<A extends unknown[]>(run: (...input: A) => HandlerRun): (...input: A) => Promise<HandlerOutcome> {
  return async (...input) => {
    const outcome = await runHandler(run(...input));
    if (outcome.kind === 'exited' && outcome.code === 0) return { ok: true };
    if (outcome.kind === 'spawnFailed') {
      const reason = outcome.error.code === 'ENOENT' ? 'command not found' : outcome.error.message;
      return { ok: false, reason, fatal: true, cause: outcome.error };
    }
    return { ok: false, reason: describeOutcome(outcome) };
  };
}

// What a failed outcome means, for diagnostics: "exited with status 3", "was killed by SIGKILL".
export function describeOutcome(outcome: Exclude<ProcessOutcome, { kind: 'spawnFailed' }>): string {
  switch (outcome.kind) {
    case 'exited':
      return `handler exited with status ${outcome.code}`;
    case 'signaled':
      return `handler was killed by ${outcome.signal}`;
    case 'timedOut':
      return `handler timed out after ${formatDuration(outcome.timeoutMs)} and was killed`;
  }
}
