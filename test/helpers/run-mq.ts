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
    // A hang, not slowness: a busy machine makes a process take many times its usual time.
    timeout: options.timeoutMs ?? 240_000,
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

// Waits until process `pid` watches a file with inotify (a long poll or `tail -f` under way: Linux shows
// the instance as an `anon_inode:inotify` descriptor in /proc/PID/fd), so what is sent after this is
// something the process waits for, not something it finds when it starts. Fails if the process ends
// first or after `timeoutMs`.
export async function waitUntilWatching(pid: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let descriptors: string[];
    try {
      descriptors = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      throw new Error(`process ${pid} ended before it watched anything`);
    }
    const watching = descriptors.some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify';
      } catch {
        return false;
      }
    });
    if (watching) return;
    if (Date.now() > deadline) throw new Error(`process ${pid} did not start watching within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
