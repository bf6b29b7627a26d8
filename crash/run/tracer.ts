// Runs one mq command under `strace -f`, recording the system calls that change files (and the writes to
// its stdout, its exit): the raw material of the crash states. The calls are those mq makes (checked
// against a full trace of every scenario: see the README's Power cuts section); anything else that could
// change a file in the store (fallocate, copy_file_range...) is traced too, so that translate.ts refuses it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const TRACED_CALLS = [
  'open', 'openat', 'creat', 'close', 'dup', 'dup2', 'dup3', 'fcntl',
  'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'truncate', 'ftruncate', 'fallocate', 'copy_file_range', 'sendfile',
  'fsync', 'fdatasync', 'sync_file_range',
  'mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat',
  'clone', 'clone3', 'fork', 'vfork', 'execve', 'exit_group',
];

export const STRACE = process.env.MQ_STRACE ?? 'strace';

export interface TraceRequest {
  // The program and its arguments (node and the mq entry script).
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  traceFile: string;
  // Polled while the command runs: when it returns true, the command is sent SIGTERM (for commands
  // that run until stopped, such as mq consume).
  stopWhen?: () => boolean;
  timeoutMs?: number;
}

export interface TraceResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  trace: string;
}

export function straceAvailable(): boolean {
  return spawnSync(STRACE, ['-V'], { stdio: 'ignore' }).status === 0;
}

export function traceCommand(request: TraceRequest): Promise<TraceResult> {
  const args = ['-f', '-qq', '-y', '-xx', '-s', '16777216', '-e', `trace=${TRACED_CALLS.join(',')}`, '-o', request.traceFile, '--', ...request.argv];
  return new Promise((resolve, reject) => {
    const child = spawn(STRACE, args, { cwd: request.cwd, env: request.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(request.stdin ?? '');
    let stopped = false;
    const poll = request.stopWhen && setInterval(() => {
      if (stopped || !request.stopWhen!()) return;
      stopped = true;
      const pid = tracedPid(request.traceFile);
      if (pid !== null) process.kill(pid, 'SIGTERM');
    }, 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), request.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code,
        trace: fs.readFileSync(request.traceFile, 'latin1'),
      });
    });
  });
}

// The traced command's pid: the one on the trace's first line.
function tracedPid(traceFile: string): number | null {
  try {
    const first = /^(\d+) /.exec(fs.readFileSync(traceFile, 'latin1'));
    return first ? Number(first[1]) : null;
  } catch {
    return null;
  }
}
