// The scratch directory of one run, removed at the end (BENCH_KEEP=1 keeps it) and on Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';

export function createWorkspace(root, keep) {
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'run-'));
  const cleanup = () => {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    dir,
    path: (...parts) => path.join(dir, ...parts),
    cleanup,
  };
}

// Removes a directory tree (used between cases to keep the disk small).
export function remove(target) {
  fs.rmSync(target, { recursive: true, force: true });
}
