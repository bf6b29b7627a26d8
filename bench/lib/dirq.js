// python3-dirq (QueueSimple), the closest peer: found if some python3 on this machine can import it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './config.js';
import { runJson } from './proc.js';

const driver = path.join(repoRoot, 'bench', 'dirq_bench.py');
// The Debian package installs into the system python, which a pyenv shim on PATH may hide.
const candidates = ['python3', '/usr/bin/python3'];

export function findDirqPython() {
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import dirq.QueueSimple'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

// Times `mode` (enqueue | dequeue) inside the python process (interpreter start-up excluded).
export function runDirq(python, mode, dir, bodiesFile) {
  return runJson(python, [driver, mode, dir, ...(bodiesFile ? [bodiesFile] : [])]);
}
