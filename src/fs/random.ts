// Random bytes from /dev/urandom, read a few kilobytes at a time: as strong as node:crypto's, and far
// cheaper for a short process than loading node:crypto (several milliseconds) or a syscall per use.
import fs from 'node:fs';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

export function randomBytes(size: number): Uint8Array {
  if (used + size > pool.length) {
    pool = Buffer.alloc(Math.max(POOL_BYTES, size));
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      for (let filled = 0; filled < pool.length;) filled += fs.readSync(fd, pool, filled, pool.length - filled, null);
    } finally {
      fs.closeSync(fd);
    }
    used = 0;
  }
  const bytes = pool.subarray(used, used + size);
  used += size;
  return bytes;
}
