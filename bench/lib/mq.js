// Running the mq CLI (bin/mq.cjs of this run's build, as a user would) against a given store directory.
import fs from 'node:fs';
import { build } from './build.js';
import { timed } from './proc.js';

// The benchmark's own environment, minus settings that would change what is measured.
export function mqEnv(home) {
  const env = { ...process.env, MQ_HOME: home };
  delete env.MQ_DURABILITY;
  return env;
}

export function mq(home, args, options = {}) {
  return timed(process.execPath, [build.bin, ...args], { env: mqEnv(home), ...options });
}

export function createQueue(home, name, durability) {
  mq(home, ['create', name, ...(durability ? ['--durability', durability] : [])], { stdio: 'ignore' });
}

// `mq send q < file`, ids to /dev/null; returns wall milliseconds.
export function sendFile(home, queue, file) {
  const fd = fs.openSync(file, 'r');
  try {
    return mq(home, ['send', queue], { stdio: [fd, 'ignore', 'pipe'] }).ms;
  } finally {
    fs.closeSync(fd);
  }
}

export function countLines(buffer) {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}
