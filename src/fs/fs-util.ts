// Small file-system primitives with the conventions of the store: private modes (0700 directories,
// 0600 files), write-temp-then-rename, ENOENT as a normal outcome, and I/O failures as MqError IO.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from './random.js';
import { MqError } from '../core/errors.js';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

export function isNotFound(error: unknown): boolean {
  return errnoCode(error) === 'ENOENT';
}

// Wraps an unexpected file-system failure so the CLI reports it in one line, naming the cause.
export function ioError(error: unknown, action: string, file: string): MqError {
  if (error instanceof MqError) return error;
  const code = errnoCode(error);
  const reason = code ? `${code} ${describeErrno(code)}` : String((error as Error)?.message ?? error);
  return new MqError('IO', `cannot ${action} ${file}: ${reason}`, { cause: error });
}

function describeErrno(code: string): string {
  const reasons: Record<string, string> = {
    ENOSPC: '(no space left on device)', EACCES: '(permission denied)', EPERM: '(operation not permitted)',
    EROFS: '(read-only file system)', EMFILE: '(too many open files)', ENFILE: '(too many open files in system)',
    EDQUOT: '(disk quota exceeded)', EIO: '(input/output error)', ENOTDIR: '(not a directory)',
  };
  return reasons[code] ?? '';
}

export function nonce(): string {
  return Buffer.from(randomBytes(8)).toString('hex');
}

// Creates a directory (0700) unless it exists; returns true when this call created it.
export function ensureDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { mode: DIR_MODE });
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
}

// Directory entries, or none when the directory does not exist (someone removed it: a normal race).
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw ioError(error, 'list', dir);
  }
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

// fsyncs the directories messages were renamed into. One that is gone meanwhile (a FIFO group emptied by
// its consumers and removed) holds nothing of ours any more, so there is nothing left to make durable.
export function fsyncDirs(dirs: Iterable<string>): void {
  for (const dir of dirs) {
    try {
      fsyncDir(dir);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

// fsyncs many descriptors at once on libuv's thread pool, so the file system can commit them together.
export function fsyncAll(fds: number[]): Promise<void[]> {
  return Promise.all(
    fds.map((fd) => new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())))),
  );
}

// Replaces `file` with `data` so readers see the old or the new content, never a mix. The data is fsynced
// before the rename whatever the durability: a rename can reach the disk before the data it names, and a
// power cut would then leave an empty file where the queue's, stream's or group's state was. `durable`
// adds the directory's fsync, so the new content itself survives a power cut. `scratch`: a file that may
// come back empty (a worker's announcement, read as expired) skips the data fsync too.
export function writeFileAtomic(file: string, data: string, options: { durable: boolean; scratch?: boolean }): void {
  const temp = `${path.dirname(file)}/.${path.basename(file)}.${nonce()}.tmp`;
  try {
    const fd = fs.openSync(temp, 'wx', FILE_MODE);
    try {
      fs.writeSync(fd, data);
      if (options.durable || !options.scratch) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    if (options.durable) fsyncDir(path.dirname(file));
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw ioError(error, 'write', file);
  }
}

// Reads a message file without following a symbolic link planted in its place (ELOOP then). Reads into
// a reused buffer: a read of a regular file that returns less than asked for has reached its end, so a
// message takes one read and no fstat (readFileSync needs both).
let readBuffer = Buffer.allocUnsafe(64 * 1024);

export function readFileNoFollow(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    let length = 0;
    for (;;) {
      if (length === readBuffer.length) readBuffer = Buffer.concat([readBuffer, Buffer.allocUnsafe(readBuffer.length)]);
      const wanted = readBuffer.length - length;
      const read = fs.readSync(fd, readBuffer, length, wanted, null);
      length += read;
      if (read < wanted) return readBuffer.toString('utf8', 0, length);
    }
  } finally {
    fs.closeSync(fd);
  }
}

// Reads a file as UTF-8, or returns null when it does not exist.
export function readFileIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw ioError(error, 'read', file);
  }
}

// The target of the symbolic link `file`, or, for a regular file (written by earlier versions of mq), its
// content; null when there is neither.
export function readLinkOrFile(file: string, what = 'read'): string | null {
  try {
    return fs.readlinkSync(file);
  } catch (error) {
    if (isNotFound(error)) return null;
    if (errnoCode(error) === 'EINVAL') return readFileIfExists(file);
    throw ioError(error, what, file);
  }
}

// Removes a file, telling whether this call removed it (false: it was already gone).
export function unlinkIfExists(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw ioError(error, 'remove', file);
  }
}

// Moves a file, telling whether this call moved it (false: the source was gone, so someone else won).
// A missing target directory (an empty bucket removed by a janitor) is made again by `makeTargetDir`.
export function moveFile(from: string, to: string, makeTargetDir: () => void): boolean {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw ioError(error, 'rename', from);
      if (!fs.existsSync(from)) return false;
      // Each loss means another process removed an emptied directory meanwhile (progress, not a livelock).
      if (attempt >= 100) throw ioError(error, 'rename', from);
      makeTargetDir();
    }
  }
}

// Removes a directory only when it is empty; a concurrent writer keeps it alive.
export function removeDirIfEmpty(dir: string): boolean {
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
    throw ioError(error, 'remove', dir);
  }
}

export function removeTree(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}
