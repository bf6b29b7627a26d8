// The raw append floor for stream puts: the same lines appended to one file by plain Node, one write
// per 100 lines (and, durable, one fdatasync per 100 lines), no parsing, no checksums, no locks. Run as a
// child process; times its loop only and prints {"count": N, "ms": M}.
//
//   node bench/stream-floor.js FILE LINES_FILE plain|fsync
import fs from 'node:fs';

const [file, linesFile, mode] = process.argv.slice(2);
const input = fs.readFileSync(linesFile);
const ends = [];
for (let i = input.indexOf(10); i !== -1; i = input.indexOf(10, i + 1)) ends.push(i + 1);
const fd = fs.openSync(file, 'w', 0o600);
const started = performance.now();
let from = 0;
for (let i = 99; i < ends.length + 99; i += 100) {
  const to = ends[Math.min(i, ends.length - 1)];
  fs.writeSync(fd, input, from, to - from);
  if (mode === 'fsync') fs.fdatasyncSync(fd);
  from = to;
}
const ms = performance.now() - started;
fs.closeSync(fd);
console.log(JSON.stringify({ count: ends.length, ms }));
