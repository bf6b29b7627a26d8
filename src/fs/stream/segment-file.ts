// One open segment file and the ways of reading it: its last valid line (the tail a writer repairs
// and appends after), its first valid line, and a forward scan in chunks over complete lines. A line
// without its newline (torn, or still being written) or with a bad checksum is never handed out.
import fs from 'node:fs';
import { isNotFound, ioError } from '../fs-util.js';
import { LineDecoder } from './line-decoder.js';

const NEWLINE = 0x0a;
const TAIL_WINDOW = 64 * 1024;

export class SegmentFile {
  private constructor(readonly path: string, readonly fd: number, public size: number) {}

  // Opens a segment for reading (or 'r+' for the writer); null when it does not exist (expired and
  // deleted, or its stream removed).
  static open(path: string, flags: 'r' | 'r+' = 'r'): SegmentFile | null {
    let fd: number;
    try {
      fd = fs.openSync(path, flags);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw ioError(error, 'open', path);
    }
    try {
      return new SegmentFile(path, fd, fs.fstatSync(fd).size);
    } catch (error) {
      fs.closeSync(fd);
      throw ioError(error, 'read', path);
    }
  }

  // Reads up to `length` bytes at `position` into `buffer` at `offset`; fewer only at the end of the file.
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    let total = 0;
    try {
      while (total < length) {
        const n = fs.readSync(this.fd, buffer, offset + total, length - total, position + total);
        if (n === 0) break;
        total += n;
      }
    } catch (error) {
      throw ioError(error, 'read', this.path);
    }
    return total;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export interface LineRef {
  // File offsets: where the line starts and where the next one starts (after its newline).
  start: number;
  after: number;
  counter: number;
  arrivedAt: number;
}

export interface SegmentTail {
  // Bytes before this offset are complete lines; anything after is a torn or damaged tail.
  end: number;
  last: LineRef | null;
}

// Finds the last valid line by reading backwards from `size` in growing windows. A last line without
// its newline, and complete last lines that fail their checksum, are left out of `end`.
export function readTail(file: SegmentFile, size = file.size): SegmentTail {
  let end = size;
  let window = TAIL_WINDOW;
  while (end > 0) {
    const from = Math.max(0, end - window);
    const buffer = Buffer.allocUnsafe(end - from);
    const length = file.read(buffer, 0, end - from, from);
    const newline = buffer.lastIndexOf(NEWLINE, length - 1);
    if (newline === -1) {
      if (from === 0) return { end: 0, last: null };
      window *= 2;
      continue;
    }
    const previous = newline === 0 ? -1 : buffer.lastIndexOf(NEWLINE, newline - 1);
    if (previous === -1 && from > 0) {
      // The whole last line is not in the window: read further back.
      end = from + newline + 1;
      window *= 2;
      continue;
    }
    const start = previous + 1;
    const decoder = new LineDecoder(buffer, length);
    if (decoder.verify(start, newline)) {
      return {
        end: from + newline + 1,
        last: { start: from + start, after: from + newline + 1, counter: decoder.counter(start), arrivedAt: decoder.arrivedAt(start) },
      };
    }
    // A damaged last line: the valid data ends before it.
    end = from + start;
    window = TAIL_WINDOW;
  }
  return { end: 0, last: null };
}

export interface ScanStop {
  // Where the line the visitor stopped at starts, or `end` of the scanned data when it never stopped.
  at: number;
  // Where the line after it starts.
  after: number;
  stopped: boolean;
}

// A visitor gets each valid line (by buffer position; `fileOffset` is where `start` is in the file) and
// returns true to go on, false to stop at that line.
export type LineVisitor = (decoder: LineDecoder, start: number, newline: number, fileOffset: number) => boolean;

// Scans the complete, valid lines of [from, end) in chunks of about `chunkBytes` (a longer line grows
// the chunk). Stops at the first line the visitor refuses; a partial last line ends the scan before it.
// With `freshBuffers` every chunk is read into a new buffer, so the visitor may keep views into it.
export function scanLines(file: SegmentFile, from: number, end: number, chunkBytes: number, visit: LineVisitor, freshBuffers = false): ScanStop {
  const size = Math.max(256, Math.min(chunkBytes, end - from));
  let buffer = Buffer.allocUnsafe(size);
  let position = from;
  while (position < end) {
    if (freshBuffers && position > from) buffer = Buffer.allocUnsafe(Math.max(size, buffer.length));
    const length = file.read(buffer, 0, Math.min(buffer.length, end - position), position);
    if (length === 0) break;
    const decoder = new LineDecoder(buffer, length);
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE, 0); newline !== -1 && newline < length; newline = buffer.indexOf(NEWLINE, start)) {
      if (decoder.verify(start, newline) && !visit(decoder, start, newline, position + start)) {
        return { at: position + start, after: position + newline + 1, stopped: true };
      }
      start = newline + 1;
    }
    if (start === 0) {
      if (position + length >= end) break;
      // One line longer than the buffer: grow it and read the line again.
      buffer = Buffer.allocUnsafe(buffer.length * 2);
      continue;
    }
    position += start;
  }
  return { at: position, after: position, stopped: false };
}

// The first valid line at or after `from` (a line start), or null when none is complete before `end`.
export function firstLine(file: SegmentFile, from: number, end: number): LineRef | null {
  let found: LineRef | null = null;
  scanLines(file, from, end, 4096, (decoder, start, newline, offset) => {
    found = { start: offset, after: offset + newline + 1 - start, counter: decoder.counter(start), arrivedAt: decoder.arrivedAt(start) };
    return false;
  });
  return found;
}

// The first line start at or after `position` (the byte after a newline), or null before `end`.
export function nextLineStart(file: SegmentFile, position: number, end: number): number | null {
  if (position === 0) return 0;
  const buffer = Buffer.allocUnsafe(4096);
  for (let at = position - 1; at < end; at += buffer.length) {
    const length = file.read(buffer, 0, Math.min(buffer.length, end - at), at);
    const newline = buffer.indexOf(NEWLINE, 0);
    if (newline !== -1 && newline < length) return at + newline + 1 < end ? at + newline + 1 : null;
    if (length < buffer.length) return null;
  }
  return null;
}
