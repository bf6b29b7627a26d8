// Consumer-group checkpoints on disk: groups/<group>/<shardId>.json, one small JSON file per group and
// shard, each replaced atomically (temp file, rename), so a crash leaves the old or the new checkpoint
// and two consumers of one group working on different shards never overwrite each other.
import { MqError } from '../../core/errors.js';
import type { Checkpoint } from '../../core/stream-types.js';
import type { StreamLayout } from '../layout.js';
import { listDir, readFileIfExists, writeFileAtomic } from '../fs-util.js';
import { ensureGroupDir } from './lease-files.js';

const FORMAT_VERSION = 1;
const CHECKPOINT_FILE = /^(shardId-\d{12})\.json$/;
const SENTINELS = new Set(['TRIM_HORIZON', 'LATEST', 'SHARD_END', 'AT_TIMESTAMP']);

export interface StoredCheckpoint {
  shardId: string;
  checkpoint: Checkpoint;
  updatedAt: number;
}

export function formatCheckpoint(checkpoint: Checkpoint, updatedAt: number): string {
  const value = 'sequence' in checkpoint ? checkpoint.sequence : checkpoint.sentinel;
  const timestamp = 'timestamp' in checkpoint ? { timestamp: checkpoint.timestamp } : {};
  return `${JSON.stringify({ version: FORMAT_VERSION, checkpoint: value, ...timestamp, updatedAt })}\n`;
}

export function parseCheckpoint(text: string): { checkpoint: Checkpoint; updatedAt: number } | null {
  try {
    const json = JSON.parse(text) as { version: number; checkpoint: string; timestamp?: number; updatedAt: number };
    if (json.version !== FORMAT_VERSION || typeof json.checkpoint !== 'string') return null;
    const { checkpoint: value, updatedAt } = json;
    if (/^\d+$/.test(value)) return { checkpoint: { sequence: value }, updatedAt };
    if (!SENTINELS.has(value)) return null;
    if (value === 'AT_TIMESTAMP') {
      return typeof json.timestamp === 'number' ? { checkpoint: { sentinel: 'AT_TIMESTAMP', timestamp: json.timestamp }, updatedAt } : null;
    }
    return { checkpoint: { sentinel: value as 'TRIM_HORIZON' | 'LATEST' | 'SHARD_END' }, updatedAt };
  } catch {
    return null;
  }
}

export function listGroups(layout: StreamLayout): string[] {
  return listDir(layout.groupsDir).filter((name) => !name.startsWith('.')).sort();
}

// The group's checkpoints, by shard; an unreadable file is reported, not guessed at.
export function readCheckpoints(layout: StreamLayout, group: string): StoredCheckpoint[] {
  const stored: StoredCheckpoint[] = [];
  for (const file of listDir(layout.group(group)).sort()) {
    const match = CHECKPOINT_FILE.exec(file);
    if (!match) continue;
    const text = readFileIfExists(layout.checkpoint(group, match[1]!));
    if (text === null) continue;
    const parsed = parseCheckpoint(text);
    if (!parsed) throw new MqError('CORRUPT', `checkpoint of group "${group}" in ${match[1]} is unreadable (${layout.checkpoint(group, match[1]!)})`);
    stored.push({ shardId: match[1]!, ...parsed });
  }
  return stored;
}

export function writeCheckpoint(layout: StreamLayout, streamName: string, group: string, shardId: string, text: string, durable: boolean): void {
  ensureGroupDir(layout, streamName, group);
  writeFileAtomic(layout.checkpoint(group, shardId), text, { durable });
}
