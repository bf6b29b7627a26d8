// One FIFO message group on disk, and its claim token:
//
//   groups/g<base64url(group)>/
//     claim                      token (a lock, src/fs/lock.ts): held by whoever changes which messages are in flight
//     ready/<bucket>/<name>      waiting messages, in buckets of 1,000 sequence numbers (names sort in order)
//     inflight/<name>            delivered messages
//
// Receivers take the token without waiting (a group being claimed by someone else is skipped, never
// waited for), so no lock is ever waited on by a receive. Under the token a receiver sees the group's
// in-flight messages and claims from the head in sequence order; nack, visibility changes and the return
// of expired deliveries take the token too. Acks (removal) and sends (higher sequence numbers) need not.
import { acquireLock, type LockHandle, tryLockOrTakeOver } from '../../lock.js';
import { errnoCode, ioError, listDir, moveFile, removeDirIfEmpty } from '../../fs-util.js';
import { type QueueContext, ensureSubdirs } from '../queue-context.js';
import { type GroupLayout, childPath, parentOf } from '../../layout.js';
import {
  type FifoInFlightName, type FifoReadyName, formatFifoReadyName, parseFifoInFlightName, parseFifoReadyName,
  parseGroupDirName, sequenceBucket,
} from './fifo-names.js';

export interface GroupEntry<T> {
  file: string;
  name: T;
}

export class GroupFiles {
  readonly layout: GroupLayout;

  constructor(private readonly ctx: QueueContext, readonly groupDir: string) {
    this.layout = ctx.layout.group(groupDir);
  }

  get dir(): string {
    return this.layout.dir;
  }

  get ready(): string {
    return this.layout.ready;
  }

  get inflight(): string {
    return this.layout.inflight;
  }

  private get claim(): string {
    return this.layout.claim;
  }

  // The token if it is free now (a receiver skips a busy group); null also when the group is gone.
  tryToken(): LockHandle | null {
    try {
      return tryLockOrTakeOver(this.claim);
    } catch (error) {
      // The group's directory was removed meanwhile (emptied by another receiver): nothing to claim.
      if (errnoCode((error as { cause?: unknown }).cause ?? error) === 'ENOENT') return null;
      throw error;
    }
  }

  // The token, waiting for a receiver that holds it (it holds it for the time of a few renames).
  token(): Promise<LockHandle> {
    return acquireLock(this.claim, { what: `message group of queue "${this.ctx.name}"` });
  }

  inFlight(): GroupEntry<FifoInFlightName>[] {
    const entries: GroupEntry<FifoInFlightName>[] = [];
    for (const file of listDir(this.inflight)) {
      const name = parseFifoInFlightName(file);
      if (name) entries.push({ file: childPath(this.inflight, file), name });
    }
    return entries;
  }

  // The ready buckets, oldest first.
  buckets(): string[] {
    return listDir(this.ready).filter((bucket) => /^\d{17}$/.test(bucket)).sort();
  }

  // The ready messages of one bucket, in sequence order (names start with the fixed-width sequence, so
  // they sort as strings). Names are parsed as they are consumed: a receive of 10 from a full bucket
  // parses 10 names, not 1,000.
  *bucket(bucket: string): Generator<GroupEntry<FifoReadyName>> {
    const dir = this.layout.readyBucket(bucket);
    for (const file of listDir(dir).sort()) {
      const name = parseFifoReadyName(file);
      if (name) yield { file: childPath(dir, file), name };
    }
  }

  removeBucketIfEmpty(bucket: string): void {
    removeDirIfEmpty(this.layout.readyBucket(bucket));
  }

  // Renames `file` into the ready bucket of `name`; records the directories changed (for fsync).
  placeReady(file: string, name: FifoReadyName, touched?: Set<string>): boolean {
    const bucket = sequenceBucket(name.sequence);
    const dir = this.layout.readyBucket(bucket);
    touched?.add(dir);
    return moveFile(file, childPath(dir, formatFifoReadyName(name)), () => {
      for (const created of ensureSubdirs(this.ctx, this.ctx.layout.groups, dir)) touched?.add(parentOf(created));
    });
  }

  // Moves a ready message in flight under `name` (the caller holds the token).
  placeInFlight(file: string, name: string): boolean {
    return moveFile(file, childPath(this.inflight, name), () => ensureSubdirs(this.ctx, this.ctx.layout.groups, this.inflight));
  }

  // An in-flight message back to ready, its count kept (the caller holds the token).
  returnToReady(entry: GroupEntry<FifoInFlightName>): boolean {
    const { deadline: _deadline, receivedAt: _receivedAt, nonce: _nonce, ...ready } = entry.name;
    return this.placeReady(entry.file, ready);
  }

  // Removes the group's directories once nothing is left in them (the caller is about to drop the token).
  removeIfEmpty(): boolean {
    return removeDirIfEmpty(this.ready) && removeDirIfEmpty(this.inflight);
  }

  // After the token is released: the group's directory, if nothing came back meanwhile.
  removeDir(): void {
    try {
      removeDirIfEmpty(this.dir);
    } catch (error) {
      throw ioError(error, 'remove', this.dir);
    }
  }
}

// Every group directory of the queue, as [directory name, group id].
export function listGroups(ctx: QueueContext): [string, string][] {
  const groups: [string, string][] = [];
  for (const dir of listDir(ctx.layout.groups)) {
    const group = parseGroupDirName(dir);
    if (group !== null) groups.push([dir, group]);
  }
  return groups;
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
