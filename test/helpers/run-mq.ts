// Runs the built mq binary as a separate process, as a user's shell would.
import fs from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';

export const MQ_BIN = path.resolve('bin/mq.cjs');

export interface RunOptions {
  home: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runMq(args: string[], options: RunOptions): Promise<RunResult> {
  const result = await execa(process.execPath, [MQ_BIN, ...args], {
    reject: false,
    stripFinalNewline: false,
    input: options.input ?? '',
    env: { MQ_HOME: options.home, ...options.env },
    extendEnv: true,
    timeout: options.timeoutMs ?? 30_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

// Starts mq without waiting for it (for long polls, kills and races).
export function spawnMq(args: string[], options: Omit<RunOptions, 'timeoutMs'>): ResultPromise {
  return execa(process.execPath, [MQ_BIN, ...args], {
    reject: false,
    stripFinalNewline: false,
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { MQ_HOME: options.home, ...options.env },
  });
}

// Parses NDJSON output into objects.
export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}

// Describes a result for assertion messages, so a failure shows what the process printed.
export function describeRun(result: RunResult): string {
  return `exit ${result.exitCode}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

// Checks a run's exit code, stdout and stderr together, showing all three when one is wrong.
export function expectRun(result: RunResult, exitCode: number, stdout?: string | RegExp, stderr: string | RegExp = ''): void {
  const message = describeRun(result);
  expect(result.exitCode, message).toBe(exitCode);
  if (typeof stdout === 'string') expect(result.stdout, message).toBe(stdout);
  else if (stdout) expect(result.stdout, message).toMatch(stdout);
  if (typeof stderr === 'string') expect(result.stderr, message).toBe(stderr);
  else expect(result.stderr, message).toMatch(stderr);
}

// Waits until process `pid` has a handler for `signal` installed (Linux: the SigCgt mask in
// /proc/PID/status), so a signal sent after this reaches the code that handles it, however slowly the
// process started on a busy machine. Fails if the process ends first or after `timeoutMs`.
export async function waitUntilCatching(pid: number, signal: 'SIGINT' | 'SIGTERM', timeoutMs = 30_000): Promise<void> {
  const bit = 1n << BigInt((signal === 'SIGINT' ? 2 : 15) - 1);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      throw new Error(`process ${pid} ended before it caught ${signal}`);
    }
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status);
    if (caught && (BigInt(`0x${caught[1]}`) & bit) !== 0n) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} did not catch ${signal} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
