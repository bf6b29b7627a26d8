// The FIFO queue's single order: a counter file of 20 digits and a newline, advanced under the queue
// lock by one pwrite in place (21 bytes in one sector: a write a crash cannot tear). The new value is
// written before any message carrying it is published, so a crash leaves a gap, never a reuse.
import fs from 'node:fs';
import { MqError } from '../../../core/errors.js';
import { FILE_MODE, errnoCode, ioError } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';

const WIDTH = 20;

function openCounter(file: string): number {
  try {
    return fs.openSync(file, 'r+');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    try {
      const fd = fs.openSync(file, 'wx+', FILE_MODE);
      fs.writeSync(fd, `${'0'.repeat(WIDTH)}\n`, 0);
      return fd;
    } catch (createError) {
      // Another sender made it first (it holds the lock now only if we do not, so this is a crash leftover).
      if (errnoCode(createError) === 'EEXIST') return fs.openSync(file, 'r+');
      throw createError;
    }
  }
}

// Reserves `count` sequence numbers; returns the first. The caller holds the queue lock.
export function reserveSequences(ctx: QueueContext, count: number): bigint {
  const file = ctx.layout.sequence;
  let fd: number | undefined;
  try {
    fd = openCounter(file);
    const buffer = Buffer.alloc(WIDTH + 1);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.toString('latin1', 0, read).trim();
    if (!/^\d+$/.test(text)) throw new MqError('CORRUPT', `queue "${ctx.name}" has an unreadable sequence file`);
    const last = BigInt(text);
    fs.writeSync(fd, `${(last + BigInt(count)).toString().padStart(WIDTH, '0')}\n`, 0);
    if (ctx.durable) fs.fsyncSync(fd);
    return last + 1n;
  } catch (error) {
    throw ioError(error, 'advance the sequence of', file);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
