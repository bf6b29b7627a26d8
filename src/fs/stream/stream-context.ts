// What every stream operation of the file store works with: the stream's paths and configuration, the
// clock, and the durability in force (the stream's own unless the backend overrides it).
import type { Clock } from '../../core/clock.js';
import type { Durability } from '../../core/durability.js';
import type { PartitionKeyFactory } from '../../core/stream-records.js';
import { retentionCutoff } from '../../core/stream-attributes.js';
import type { StoreLayout, StreamLayout } from '../layout.js';
import type { StreamConfig } from './stream-config.js';

export interface FsStreamEnv {
  store: StoreLayout;
  clock: Clock;
  // Overrides every stream's own durability setting (the CLI's MQ_DURABILITY).
  durability?: Durability;
  // The segment size given to streams created through this backend (64 MiB unless a test wants tiny ones).
  segmentBytes: number;
  randomKey: PartitionKeyFactory;
  // Use a store on a network file system anyway.
  allowNetworkFileSystem?: boolean;
}

export interface StreamContext {
  env: FsStreamEnv;
  name: string;
  layout: StreamLayout;
  config: StreamConfig;
  durable: boolean;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export function durableFor(env: FsStreamEnv, config: StreamConfig): boolean {
  return (env.durability ?? config.attributes.durability) === 'fsync';
}

// Records that arrived at or before the returned time are expired now.
export function cutoffOf(ctx: StreamContext): number {
  return retentionCutoff(ctx.env.clock.now(), ctx.config.attributes.retentionMs, ctx.config.trimmedBefore);
}
