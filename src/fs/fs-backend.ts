// The file-system backend: every store of one mq home directory. Its durability levels
// (core/durability.ts): under 'fsync' a write is fsynced (files, then the directories they were renamed
// into; segment appends fdatasynced) before it is acknowledged; under 'none' it is acknowledged once it
// is in the page cache.
import { type Clock, systemClock } from '../core/clock.js';
import { createIdFactory, type IdFactory } from '../core/ids.js';
import { type Backend, FILE_STORE_TRAITS } from '../core/backend.js';
import type { Durability } from '../core/durability.js';
import { StoreLayout } from './layout.js';
import { StoreRoot } from './store-root.js';
import { randomBytes } from './random.js';
import { FsQueueStore } from './queue/fs-queue-store.js';
import { FsStreamStore } from './stream/fs-stream-store.js';
import { DEFAULT_SEGMENT_BYTES } from './stream/stream-context.js';
import { createRandomKeyFactory } from '../core/stream-records.js';

export interface FsBackendOptions {
  // The store's root directory (created on first use, mode 0700).
  home: string;
  clock?: Clock;
  ids?: IdFactory;
  // Overrides the durability level of every queue and stream for this process.
  durability?: Durability;
  // Use a store on NFS, SMB, FUSE and the like anyway (refused by default).
  allowNetworkFileSystem?: boolean;
  // Size at which stream segments created through this backend roll over (default 64 MiB; tests use tiny ones).
  streamSegmentBytes?: number;
}

export function createFsBackend(options: FsBackendOptions): Backend {
  const store = new StoreLayout(options.home);
  const env = {
    store,
    root: new StoreRoot(store, { allowNetworkFileSystem: options.allowNetworkFileSystem ?? false }),
    clock: options.clock ?? systemClock,
    ...(options.durability ? { durability: options.durability } : {}),
  };
  return {
    queues: new FsQueueStore({ ...env, ids: options.ids ?? createIdFactory(randomBytes) }),
    streams: new FsStreamStore({
      ...env,
      segmentBytes: options.streamSegmentBytes ?? DEFAULT_SEGMENT_BYTES,
      randomKey: createRandomKeyFactory(randomBytes),
    }),
    traits: FILE_STORE_TRAITS,
    async close() {},
  };
}
