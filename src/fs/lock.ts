// A cross-process lock: a symbolic link whose target is the holder's pid, process start time, a nonce and
// the boot id.
// symlink(2) creates the link and its content in one atomic step (EEXIST when held), so a lock is never
// seen empty, not even when its creator is killed at once; an O_EXCL file would be empty between open
// and write, and a reader could not tell a creator still writing from one that died. The link is only
// ever read with readlink, never followed. A lock whose holder died is taken over by exactly one
// process, serialised by a second lock, and removed only when, renamed aside, it is still the dead
// holder's. This is about 25x cheaper than proper-lockfile's mkdir lock and has no mtime heartbeat
// to keep alive.
import fs from 'node:fs';
import { MqError } from '../core/errors.js';
import { errnoCode, ioError, isNotFound, nonce, readLink } from './fs-util.js';
import { asideOf, takeoverLockOf } from './layout.js';

export interface LockOptions {
  // How long to wait for a busy lock before failing with LOCKED.
  waitMs?: number;
  // What the lock protects, for the error message.
  what?: string;
}

export interface LockHandle {
  release(): void;
}

const DEFAULT_WAIT_MS = 10_000;

let ownStartTime: string | undefined;

// The state (field 3) and start time (field 22) of /proc/PID/stat; the command name (field 2) may contain
// spaces, so fields are counted from its ')'.
function processStat(pid: number): { state: string; startTime: string | null } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTime: fields[19] ?? null };
  } catch {
    return null;
  }
}

// The kernel's boot id: a token from before a reboot names no live process, even if a process of this
// boot has the same pid and start time (boot-time services start alike every boot).
let ownBootId: string | undefined;
function bootId(): string {
  if (ownBootId === undefined) {
    try {
      ownBootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim().replace(/-/g, '');
    } catch {
      ownBootId = '';
    }
  }
  return ownBootId;
}

function ownToken(): string {
  ownStartTime ??= processStat(process.pid)?.startTime ?? '0';
  return `${process.pid} ${ownStartTime} ${nonce()} ${bootId()}`;
}

// Whether the process that wrote `token` still runs (a reused pid has another start time; a zombie, dead
// but not yet reaped by its parent, holds nothing; a token of an earlier boot names nobody).
export function holderAlive(token: string): boolean {
  const [pidText, startTime, , boot] = token.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (boot && bootId() && boot !== bootId()) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') return false;
  }
  const stat = processStat(pid);
  if (stat?.state === 'Z' || stat?.state === 'X') return false;
  const actual = stat?.startTime ?? null;
  return actual === null || startTime === undefined || startTime === '0' || actual === startTime;
}

export function tryLock(lockPath: string): LockHandle | null {
  const token = ownToken();
  try {
    fs.symlinkSync(token, lockPath);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return null;
    throw ioError(error, 'create lock', lockPath);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only our own lock is removed: nobody takes over a lock whose holder is alive.
      if (readHolder(lockPath) === token) fs.rmSync(lockPath, { force: true });
    },
  };
}

// The holder's token, or null when the lock is free.
export function readHolder(lockPath: string): string | null {
  return readLink(lockPath, 'read lock');
}

// Removes the lock at `lockPath` if it still holds `staleToken`, one taker at a time: the taker holds a
// second lock (a link too) for the microseconds of the check and removal. A taker killed meanwhile is
// itself dead by its token, so its takeover lock is cleared at once and the next attempt proceeds.
// Returns whether the stale lock is gone.
function takeOver(lockPath: string, staleToken: string): boolean {
  const takeoverPath = takeoverLockOf(lockPath);
  const token = ownToken();
  try {
    fs.symlinkSync(token, takeoverPath);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw ioError(error, 'create lock', takeoverPath);
    const taker = readHolder(takeoverPath);
    if (taker !== null && !holderAlive(taker)) removeIfStill(takeoverPath, taker);
    return false;
  }
  try {
    return removeIfStill(lockPath, staleToken);
  } finally {
    removeIfStill(takeoverPath, token);
  }
}

// Removes the lock at `lockPath` only if it holds `token`. It is renamed aside first and checked there, so
// what is removed is exactly what was checked: a lock made meanwhile by someone else (were two takers
// ever to race) is put back with link(2), which creates the name only if it is still free. Returns
// whether no lock with `token` is left.
function removeIfStill(lockPath: string, token: string): boolean {
  const aside = asideOf(lockPath, nonce());
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if (isNotFound(error)) return true;
    throw ioError(error, 'remove lock', lockPath);
  }
  try {
    if (readHolder(aside) === token) return true;
    try {
      fs.linkSync(aside, lockPath);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw ioError(error, 'restore lock', lockPath);
    }
    return false;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

// Takes the lock at once or not at all; a lock left by a dead holder is taken over first.
export function tryLockOrTakeOver(lockPath: string): LockHandle | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = tryLock(lockPath);
    if (handle) return handle;
    const holder = readHolder(lockPath);
    if (holder !== null && holderAlive(holder)) return null;
    if (holder !== null) takeOver(lockPath, holder);
  }
  return null;
}

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<LockHandle> {
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  let pauseMs = 1;
  for (;;) {
    const handle = tryLock(lockPath);
    if (handle) return handle;
    const holder = readHolder(lockPath);
    if (holder === null) continue;
    // A takeover blocked by another taker (a live one, perhaps stopped) waits like a busy lock.
    if (!holderAlive(holder) && takeOver(lockPath, holder)) continue;
    if (Date.now() >= deadline) {
      throw new MqError('LOCKED', `${options.what ?? lockPath} is locked by process ${holder.split(' ')[0] || '?'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(pauseMs * 2, 20);
  }
}

export async function withLock<T>(lockPath: string, options: LockOptions, fn: () => Promise<T> | T): Promise<T> {
  const handle = await acquireLock(lockPath, options);
  try {
    return await fn();
  } finally {
    handle.release();
  }
}
