// An Io for running the CLI in-process: stdin from a string, stdout and stderr captured.
import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

export interface MemoryIo extends Io {
  output(): string;
  errors(): string;
  interrupt(): void;
}

export function memoryIo(input: string | Buffer = '', env: Record<string, string> = {}): MemoryIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const controller = new AbortController();
  return {
    stdin: Readable.from([Buffer.from(input)]),
    stdout,
    stderr,
    env,
    interruptSignal: () => controller.signal,
    output: () => Buffer.concat(out).toString('utf8'),
    errors: () => Buffer.concat(err).toString('utf8'),
    interrupt: () => controller.abort(),
  };
}
