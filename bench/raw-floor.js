// The raw floor: what plain Node file operations cost for the same work, with no queue engine around them.
// Run as a child process; times its loop only and prints {"count": N, "ms": M}.
//
//   node bench/raw-floor.js send DIR BODIES_FILE plain|durable|group
//     plain:   write tmp/<name> then rename into ready/          (non-durable)
//     durable: write, fsync file, rename, fsync ready/ per message
//     group:   per 1,000 messages: write all, fsync each, rename all, fsync ready/ once (group commit)
//   node bench/raw-floor.js drain DIR
//     claim by rename (ready/ -> inflight/), read, unlink; names read 64 at a time via opendir
import fs from 'node:fs';
import path from 'node:path';

const FILE_MODE = 0o600;
const GROUP = 1_000;
const WINDOW = 64;

function fsyncDir(dir) {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readBodies(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function send(dir, bodiesFile, mode) {
  const bodies = readBodies(bodiesFile);
  const tmp = path.join(dir, 'tmp');
  const ready = path.join(dir, 'ready');
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  fs.mkdirSync(ready, { recursive: true, mode: 0o700 });
  const name = (i) => `${String(i).padStart(10, '0')}.${process.pid}`;
  const started = performance.now();
  if (mode === 'plain') {
    for (let i = 0; i < bodies.length; i++) {
      const temp = path.join(tmp, name(i));
      fs.writeFileSync(temp, bodies[i], { flag: 'wx', mode: FILE_MODE });
      fs.renameSync(temp, path.join(ready, name(i)));
    }
  } else if (mode === 'durable') {
    for (let i = 0; i < bodies.length; i++) {
      const temp = path.join(tmp, name(i));
      const fd = fs.openSync(temp, 'wx', FILE_MODE);
      fs.writeSync(fd, bodies[i]);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(temp, path.join(ready, name(i)));
      fsyncDir(ready);
    }
  } else if (mode === 'group') {
    for (let start = 0; start < bodies.length; start += GROUP) {
      const end = Math.min(bodies.length, start + GROUP);
      const fds = [];
      for (let i = start; i < end; i++) {
        const fd = fs.openSync(path.join(tmp, name(i)), 'wx', FILE_MODE);
        fs.writeSync(fd, bodies[i]);
        fds.push(fd);
      }
      for (const fd of fds) fs.fsyncSync(fd);
      for (const fd of fds) fs.closeSync(fd);
      for (let i = start; i < end; i++) fs.renameSync(path.join(tmp, name(i)), path.join(ready, name(i)));
      fsyncDir(ready);
    }
  } else {
    throw new Error(`unknown send mode ${mode}`);
  }
  return { count: bodies.length, ms: performance.now() - started };
}

function drain(dir) {
  const ready = path.join(dir, 'ready');
  const inflight = path.join(dir, 'inflight');
  fs.mkdirSync(inflight, { recursive: true, mode: 0o700 });
  let count = 0;
  const started = performance.now();
  for (;;) {
    const handle = fs.opendirSync(ready, { bufferSize: WINDOW });
    let seen = 0;
    try {
      for (;;) {
        const window = [];
        for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
          window.push(entry.name);
          if (window.length === WINDOW) break;
        }
        if (window.length === 0) break;
        seen += window.length;
        for (const file of window.sort()) {
          const target = path.join(inflight, file);
          try {
            fs.renameSync(path.join(ready, file), target);
          } catch (error) {
            if (error.code === 'ENOENT') continue;
            throw error;
          }
          fs.readFileSync(target);
          fs.unlinkSync(target);
          count++;
        }
      }
    } finally {
      handle.closeSync();
    }
    if (seen === 0) break;
  }
  return { count, ms: performance.now() - started };
}

const [mode, dir, ...rest] = process.argv.slice(2);
const result = mode === 'send' ? send(dir, rest[0], rest[1]) : mode === 'drain' ? drain(dir) : null;
if (!result) throw new Error('usage: raw-floor.js send DIR BODIES plain|durable|group | drain DIR');
console.log(JSON.stringify(result));
