// Writing results and diagnostics: data on stdout (text, or NDJSON with --json), everything else on
// stderr prefixed "mq: ", and errors as one line (a JSON line with --json).
import type { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import { MqError } from '../core/errors.js';
import type { Io } from './io.js';
import { errorCodeFor } from './exit-codes.js';
import { isTerminal } from './terminal.js';

export class Output {
  // `store`: the store the command opened, if it opened one, named in not-found errors and JSON errors.
  constructor(private readonly io: Io, readonly json: boolean, private readonly store: () => string | undefined = () => undefined) {}

  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  // One NDJSON record.
  record(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  lines(texts: string[]): void {
    if (texts.length > 0) this.io.stdout.write(`${texts.join('\n')}\n`);
  }

  records(values: unknown[]): void {
    this.lines(values.map((value) => JSON.stringify(value)));
  }

  // A diagnostic for a person: stderr, prefixed.
  note(text: string): void {
    this.io.stderr.write(`mq: ${text}\n`);
  }

  get stderrIsTTY(): boolean {
    return isTerminal(this.io, 'stderr');
  }

  error(error: unknown, context?: string): void {
    const store = this.store();
    const message = store !== undefined && isNotFound(error) ? whereNotFound(errorMessage(error), store) : errorMessage(error);
    const text = context ? `${context}: ${message}` : message;
    if (this.json) {
      this.io.stderr.write(`${JSON.stringify({ error: { code: errorCodeFor(error), message: text, ...(store !== undefined ? { store } : {}) } })}\n`);
    } else {
      this.io.stderr.write(`mq: ${text}\n`);
    }
  }
}

// Writes to a stream, waiting (when it says so) until it has taken what it holds: a command that prints a
// lot into a slow pipe keeps only a little in memory.
export function writeOut(stream: Writable, chunk: Uint8Array | string): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // One line, whatever a library put in it; commander prefixes its own "error: " and puts its
  // "(Did you mean receive?)" on a line of its own, which is worth keeping.
  const lines = message.replace(/^error: /, '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return (error instanceof CommanderError ? lines.join(' ') : lines[0]) ?? '';
}

function isNotFound(error: unknown): boolean {
  return error instanceof MqError && error.code.endsWith('_NOT_FOUND');
}

// `queue "jobs" does not exist in /home/u/.local/share/mq`: a name looked for in the wrong store (another
// $HOME under cron, a mistyped --home) is the usual cause, so the error says where it looked.
function whereNotFound(message: string, store: string): string {
  return message.includes('does not exist')
    ? message.replace('does not exist', `does not exist in ${store}`)
    : `${message} (in ${store})`;
}

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || ms === 0 ? null : new Date(ms).toISOString();
}
