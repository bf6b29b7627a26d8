// The process as the CLI sees it: streams, environment and an interrupt signal. Tests pass their own.
import type { Readable, Writable } from 'node:stream';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  // A command that stops cleanly on SIGINT/SIGTERM (a long poll, a work loop) asks for this signal,
  // which is aborted on the first one. Other commands keep the default: the signal ends the process,
  // which the store is built to survive at any point.
  interruptSignal(): AbortSignal;
}
