// The FIFO queue's single order: a counter file of 20 digits and a newline, advanced under the queue
// lock by one pwrite in place (21 bytes in one sector: a write a crash cannot tear) and fsynced, whatever
// the durability, before any message carrying the new value is written: a message may reach the disk
// without an fsync (durability none), and a counter that a power cut set back below it would give its
// sequence number again, after it in its group. So a crash or a power cut leaves a gap, never a reuse. The
// file is created whole (written and fsynced under a temporary name, renamed into place, its directory
// fsynced): an empty counter would stop every send.
import fs from 'node:fs';
import { MqError } from '../../../core/errors.js';
import { errnoCode, ioError, writeFileAtomic } from '../../fs-util.js';
import type { QueueContext } from '../queue-context.js';

const WIDTH = 20;

function openCounter(file: string): number {
  try {
    return fs.openSync(file, 'r+');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    // Made on the queue's first send, under the queue lock (so by no one else meanwhile).
    writeFileAtomic(file, `${'0'.repeat(WIDTH)}\n`, { durable: true });
    return fs.openSync(file, 'r+');
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
    fs.fsyncSync(fd);
    return last + 1n;
  } catch (error) {
    throw ioError(error, 'advance the sequence of', file);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
