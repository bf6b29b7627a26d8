// Runs a child process to completion and times it (wall clock, start-up included).
import { spawnSync } from 'node:child_process';

export function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { maxBuffer: 1 << 30, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const stderr = result.stderr ? String(result.stderr).trim() : '';
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}${stderr ? `: ${stderr}` : ''}`);
  }
  return { ms, stdout: result.stdout };
}

// Runs a helper that prints one JSON object on its last stdout line.
export function runJson(command, args, options = {}) {
  const { ms, stdout } = timed(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const lines = String(stdout).trim().split('\n');
  return { wallMs: ms, ...JSON.parse(lines[lines.length - 1]) };
}

// Flushes dirty pages before a measurement, so one step does not pay for the writeback of the previous.
export function settle() {
  spawnSync('sync', [], { stdio: 'ignore' });
}
