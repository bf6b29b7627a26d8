// A consumer group's shard leases and worker announcements on disk, and the per-shard group lock under
// which leases change and leased checkpoints are written. Every file is replaced atomically (temp file,
// rename), so a process killed at any point leaves the old or the new lease, never a broken one.
import { MqError } from '../../core/errors.js';
import type { ShardLease } from '../../core/stream-types.js';
import type { StreamLayout } from '../layout.js';
import { withLock } from '../lock.js';
import { ensureDir, errnoCode, ioError, listDir, readFileIfExists, unlinkIfExists, writeFileAtomic } from '../fs-util.js';

const FORMAT_VERSION = 1;
const LEASE_FILE = /^(shardId-\d{12})\.lease$/;
const WORKER_FILE = /^(.+)\.json$/;

export function formatLease(lease: ShardLease): string {
  const { owner, counter, expiresAt, updatedAt } = lease;
  return `${JSON.stringify({ version: FORMAT_VERSION, owner, counter, expiresAt, updatedAt })}\n`;
}

export function parseLease(text: string, shardId: string): ShardLease | null {
  try {
    const json = JSON.parse(text) as { version: number; owner: unknown; counter: unknown; expiresAt: unknown; updatedAt: unknown };
    const { owner, counter, expiresAt, updatedAt } = json;
    if (json.version !== FORMAT_VERSION || (owner !== null && typeof owner !== 'string')) return null;
    if (!Number.isSafeInteger(counter) || typeof expiresAt !== 'number' || typeof updatedAt !== 'number') return null;
    return { shardId, owner: owner as string | null, counter: counter as number, expiresAt, updatedAt };
  } catch {
    return null;
  }
}

export function readLease(layout: StreamLayout, group: string, shardId: string): ShardLease | null {
  const file = layout.lease(group, shardId);
  const text = readFileIfExists(file);
  if (text === null) return null;
  const lease = parseLease(text, shardId);
  if (!lease) throw new MqError('CORRUPT', `lease of group "${group}" on ${shardId} is unreadable (${file})`);
  return lease;
}

export function readLeases(layout: StreamLayout, group: string): ShardLease[] {
  const leases: ShardLease[] = [];
  for (const name of listDir(layout.group(group)).sort()) {
    const match = LEASE_FILE.exec(name);
    const lease = match ? readLease(layout, group, match[1]!) : null;
    if (lease) leases.push(lease);
  }
  return leases;
}

export function writeLease(layout: StreamLayout, group: string, lease: ShardLease, durable: boolean): void {
  writeFileAtomic(layout.lease(group, lease.shardId), formatLease(lease), { durable });
}

// The group's directory, made on first use (STREAM_NOT_FOUND when the stream is gone).
export function ensureGroupDir(layout: StreamLayout, streamName: string, group: string): void {
  try {
    ensureDir(layout.group(group));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new MqError('STREAM_NOT_FOUND', `stream "${streamName}" does not exist`);
    throw ioError(error, 'create', layout.group(group));
  }
}

// Runs `fn` holding the group's lock on one shard: lease takes, renewals, releases and leased
// checkpoints of that shard happen one at a time, across processes.
export function withGroupShardLock<T>(layout: StreamLayout, streamName: string, group: string, shardId: string, fn: () => T): Promise<T> {
  ensureGroupDir(layout, streamName, group);
  return withLock(layout.groupShardLock(group, shardId), { what: `${shardId} of group "${group}"` }, fn);
}

// Writes (or, with `expiresAt` null, removes) a worker's announcement. Not fsynced: it only matters
// while the worker lives.
export function announceWorker(layout: StreamLayout, streamName: string, group: string, workerId: string, expiresAt: number | null, nowMs: number): void {
  const file = layout.worker(group, workerId);
  if (expiresAt === null) {
    unlinkIfExists(file);
    return;
  }
  ensureGroupDir(layout, streamName, group);
  ensureDir(layout.workersDir(group));
  writeFileAtomic(file, `${JSON.stringify({ version: FORMAT_VERSION, workerId, expiresAt, updatedAt: nowMs })}\n`, { durable: false, scratch: true });
}

// The workers whose announcement has not expired; expired announcements are removed on the way (a
// worker that is only late writes its own again).
export function liveWorkers(layout: StreamLayout, group: string, nowMs: number): string[] {
  const live: string[] = [];
  for (const name of listDir(layout.workersDir(group)).sort()) {
    const match = WORKER_FILE.exec(name);
    if (!match || name.startsWith('.')) continue;
    const file = layout.worker(group, match[1]!);
    const text = readFileIfExists(file);
    let expiresAt = 0;
    try {
      expiresAt = text === null ? 0 : (JSON.parse(text) as { expiresAt: number }).expiresAt;
    } catch {
      // An announcement that cannot be read counts as expired.
    }
    if (expiresAt > nowMs) live.push(match[1]!);
    else if (text !== null) unlinkIfExists(file);
  }
  return live;
}
