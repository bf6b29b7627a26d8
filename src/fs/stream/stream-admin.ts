// Creating, listing and removing stream directories. A stream is built complete under a dot name (its
// stream.json, doorbell and one directory per shard) and renamed into place, so no process sees half a
// stream; removal renames it into trash/ first, so it disappears at once and is deleted after.
import fs from 'node:fs';
import path from 'node:path';
import { MqError } from '../../core/errors.js';
import { validateStreamName } from '../../core/names.js';
import { formatShardId } from '../../core/shard-ids.js';
import { STREAM_SUBDIRS, type StoreLayout } from '../layout.js';
import { DIR_MODE, FILE_MODE, ensureDir, errnoCode, fsyncDir, fsyncDirs, ioError, listDir, nonce, removeTree } from '../fs-util.js';
import { moveToTrash } from '../trash.js';
import { type StreamConfig, readStreamConfig, writeStreamConfig } from './stream-config.js';

// Writes a new stream directory; returns false when a stream of that name exists already.
export function createStreamDir(store: StoreLayout, config: StreamConfig, durable: boolean): boolean {
  ensureDir(store.root);
  ensureDir(store.streamsDir);
  const staging = path.join(store.streamsDir, `.new-${config.name}-${nonce()}`);
  try {
    fs.mkdirSync(staging, { mode: DIR_MODE });
    for (const sub of STREAM_SUBDIRS) fs.mkdirSync(path.join(staging, sub), { mode: DIR_MODE });
    for (const shard of config.shards) fs.mkdirSync(path.join(staging, 'shards', formatShardId(shard.index)), { mode: DIR_MODE });
    fs.writeFileSync(path.join(staging, 'notify'), '', { mode: FILE_MODE });
    // Whatever the durability, the staged stream is on disk before its rename publishes it: a stream is
    // absent or whole after a power cut, never without its stream.json or a shard directory.
    fsyncDir(path.join(staging, 'shards'));
    writeStreamConfig(path.join(staging, 'stream.json'), config, true);
    try {
      fs.renameSync(staging, store.stream(config.name).dir);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST' || errnoCode(error) === 'ENOTEMPTY') return false;
      throw error;
    }
    // The store's streams/ directory may be new too (the first stream): its name is in the root.
    if (durable) fsyncDirs([store.streamsDir, store.root]);
    return true;
  } catch (error) {
    throw ioError(error, 'create stream in', store.streamsDir);
  } finally {
    removeTree(staging);
  }
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
