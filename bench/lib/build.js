// Which mq build the benchmark runs. At the start of a run the built CLI and library are copied into the
// scratch directory, so a concurrent `npm run build` (which empties dist/) can neither break nor change
// the figures mid-run. Child scripts find the library through BENCH_MQ_LIB.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './config.js';

export const build = {
  bin: path.join(repoRoot, 'bin', 'mq.cjs'),
  lib: path.join(repoRoot, 'dist', 'lib', 'index.js'),
};

export function snapshotBuild(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of ['bin', 'dist', 'package.json']) {
    fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  // The library imports its dependencies (ulid) from node_modules.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  build.bin = path.join(dir, 'bin', 'mq.cjs');
  build.lib = path.join(dir, 'dist', 'lib', 'index.js');
  process.env.BENCH_MQ_LIB = build.lib;
  return build;
}

// For child scripts: the engine library of this run.
export async function loadEngine() {
  return import(pathToFileURL(process.env.BENCH_MQ_LIB || build.lib).href);
}
