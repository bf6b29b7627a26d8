// Creating, listing and removing stream directories, and changing a stream's retention. A stream is built
// complete under a dot name (its stream.json, doorbell and one directory per shard) and renamed into place
// (staged-dir.ts), so no process sees half a stream; removal renames it into trash/ first, so it
// disappears at once and is deleted after.
import { MqError } from '../../core/errors.js';
import { validateStreamName } from '../../core/names.js';
import { formatShardId } from '../../core/shard-ids.js';
import { STREAM_SUBDIRS, type StoreLayout, StreamLayout, childPath } from '../layout.js';
import { createEmptyFile, ensureDir, fsyncDir, listDir, removeTree } from '../fs-util.js';
import { createByStaging } from '../staged-dir.js';
import { moveToTrash } from '../trash.js';
import { type StreamConfig, readStreamConfig, streamInfo, writeStreamConfig } from './stream-config.js';
import { type StreamContext, withStreamLock } from './stream-context.js';
import { isDurable } from '../fs-env.js';
import { checkRetentionChange, retentionCutoff } from '../../core/stream-attributes.js';
import type { StreamInfo } from '../../core/stream-types.js';

// Writes a new stream directory; returns false when a stream of that name exists already.
export function createStreamDir(store: StoreLayout, config: StreamConfig, durable: boolean): boolean {
  return createByStaging(store, store.stream(config.name).dir, config.name, (staging) => {
    const layout = new StreamLayout(staging);
    for (const sub of STREAM_SUBDIRS) ensureDir(childPath(staging, sub));
    for (const shard of config.shards) ensureDir(layout.shard(formatShardId(shard.index)).dir);
    createEmptyFile(layout.notify);
    fsyncDir(layout.shardsDir);
    writeStreamConfig(layout.config, config, true);
  }, { durable, what: 'stream' });
}

export function listStreamConfigs(store: StoreLayout, prefix = ''): StreamConfig[] {
  const configs: StreamConfig[] = [];
  for (const name of listDir(store.streamsDir).sort()) {
    if (name.startsWith('.') || !name.startsWith(prefix)) continue;
    try {
      validateStreamName(name);
      configs.push(readStreamConfig(name, store.stream(name)));
    } catch (error) {
      // Removed meanwhile, or not a stream of ours: not listed.
      if (!(error instanceof MqError) || error.code === 'CORRUPT') throw error;
    }
  }
  return configs;
}

export function removeStreamDir(store: StoreLayout, name: string): void {
  const doomed = moveToTrash(store, store.stream(name).dir, `stream-${name}`);
  if (!doomed) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist`);
  // The move into trash/ reaches the disk before any file in it is deleted: else a power cut could keep
  // the stream's name and lose its files, a husk that can be neither used nor created again.
  fsyncDir(store.trashDir);
  removeTree(doomed);
}

// Increase/DecreaseStreamRetentionPeriod, under the stream lock. What has expired under the old retention
// stays expired under a longer one (trimmedBefore).
export function setStreamRetention(ctx: StreamContext, retentionMs: number): Promise<StreamInfo> {
  return withStreamLock(ctx, () => {
    const current = readStreamConfig(ctx.name, ctx.layout);
    const now = ctx.env.clock.now();
    const { attributes } = current;
    const next: StreamConfig = {
      ...current,
      attributes: { ...attributes, retentionMs: checkRetentionChange(attributes.retentionMs, retentionMs) },
      trimmedBefore: retentionCutoff(now, attributes.retentionMs, current.trimmedBefore),
      updatedAt: now,
    };
    if (next.attributes.retentionMs === attributes.retentionMs) return streamInfo(current, now);
    writeStreamConfig(ctx.layout.config, next, isDurable(ctx.env, next.attributes.durability));
    return streamInfo(next, now);
  });
}
