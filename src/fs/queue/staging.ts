// The two phases of publishing new message files, shared by both engines: write each file whole under
// tmp/ (fsynced together when durable), then rename each into place in order and fsync the directories
// touched. A failure part-way leaves no temp file behind and says how many files were placed.
import fs from 'node:fs';
import { MqError } from '../../core/errors.js';
import { FILE_MODE, fsyncAll, fsyncDirs, ioError } from '../fs-util.js';

export interface StagedFile {
  temp: string;
  data: string;
}

// At most this many files are open at once while a durable batch is written.
const DURABLE_CHUNK = 256;

export class PlacementError extends Error {
  constructor(readonly placed: number, readonly error: MqError) {
    super(error.message);
  }
}

// Writes every staged file; on failure removes them all and throws PlacementError(0).
export async function writeStaged(staged: StagedFile[], durable: boolean, where: string): Promise<void> {
  try {
    if (!durable) {
      for (const item of staged) fs.writeFileSync(item.temp, item.data, { flag: 'wx', mode: FILE_MODE });
      return;
    }
    for (let start = 0; start < staged.length; start += DURABLE_CHUNK) {
      const fds: number[] = [];
      try {
        for (const item of staged.slice(start, start + DURABLE_CHUNK)) {
          const fd = fs.openSync(item.temp, 'wx', FILE_MODE);
          fds.push(fd);
          fs.writeSync(fd, item.data);
        }
        await fsyncAll(fds);
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
    }
  } catch (error) {
    for (const item of staged) fs.rmSync(item.temp, { force: true });
    throw new PlacementError(0, ioError(error, 'write a message to', where));
  }
}

// Renames each staged file into place with `place` (which adds the directories it changed to `touched`),
// in order; on failure removes the files not placed, after `withdraw(placed)` has removed whatever
// refers to them, and throws PlacementError(how many were placed).
export function placeStaged<T extends StagedFile>(
  staged: T[], durable: boolean, where: string, place: (item: T, touched: Set<string>) => void, withdraw?: (placed: number) => void,
): void {
  const touched = new Set<string>();
  let placed = 0;
  try {
    for (const item of staged) {
      place(item, touched);
      placed++;
    }
    if (durable) fsyncDirs(touched);
  } catch (error) {
    discardStaged(staged, placed, withdraw && (() => withdraw(placed)));
    throw new PlacementError(placed, ioError(error, 'write a message to', where));
  }
}

// Removes the staged files from index `from` on (never placed), after `withdraw` has removed whatever
// refers to them; when that fails they stay in tmp/ (swept after an hour), so still unpublished.
export function discardStaged(staged: StagedFile[], from: number, withdraw?: () => void): void {
  try {
    withdraw?.();
    for (const item of staged.slice(from)) fs.rmSync(item.temp, { force: true });
  } catch {
    // See above.
  }
}
