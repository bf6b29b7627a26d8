// What every stream operation of the file store works with: the store's environment (fs-env.ts), the
// stream's paths and configuration, and whether its writes are durable (fs-env.ts isDurable).
import type { PartitionKeyFactory } from '../../core/stream-records.js';
import { retentionCutoff } from '../../core/stream-attributes.js';
import type { StreamLayout } from '../layout.js';
import type { FsEnv } from '../fs-env.js';
import { withLock } from '../lock.js';
import type { StreamConfig } from './stream-config.js';

export interface FsStreamEnv extends FsEnv {
  // The segment size given to streams created through this backend (64 MiB unless a test wants tiny ones).
  segmentBytes: number;
  randomKey: PartitionKeyFactory;
}

export interface StreamContext {
  env: FsStreamEnv;
  name: string;
  layout: StreamLayout;
  config: StreamConfig;
  durable: boolean;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

// Records that arrived at or before the returned time are expired now.
export function cutoffOf(ctx: StreamContext): number {
  return retentionCutoff(ctx.env.clock.now(), ctx.config.attributes.retentionMs, ctx.config.trimmedBefore);
}

// The stream's lock: map and attribute changes (resharding, retention), one at a time.
export function withStreamLock<T>(ctx: StreamContext, fn: () => Promise<T> | T): Promise<T> {
  return withLock(ctx.layout.lock, { what: `stream "${ctx.name}"` }, fn);
}
