// stream.json: a stream's attributes and shard map, replaced atomically (under the stream lock) on every
// change. Hash keys are kept as decimal strings, as Kinesis shows them.
import { MqError } from '../../core/errors.js';
import { validateStreamName } from '../../core/names.js';
import type { StreamMap } from '../../core/stream-info.js';
import type { StoreLayout, StreamLayout } from '../layout.js';
import type { StoreEntity } from '../fs-env.js';
import { readFileIfExists, writeFileAtomic } from '../fs-util.js';

const FORMAT_VERSION = 1;

export interface StreamConfig extends StreamMap {
  // Segments roll over to a new file once they reach this size.
  segmentBytes: number;
}

interface ShardJson {
  index: number;
  state: 'open' | 'closed';
  parentIndex?: number;
  adjacentParentIndex?: number;
  startingHashKey: string;
  endingHashKey: string;
  createdAt: number;
  endingCounter?: number;
  closedAt?: number;
}

export function readStreamConfig(name: string, layout: StreamLayout): StreamConfig {
  const text = readFileIfExists(layout.config);
  if (text === null) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist`);
  return parseStreamConfig(name, text);
}

export function parseStreamConfig(name: string, text: string): StreamConfig {
  try {
    const json = JSON.parse(text) as Omit<StreamConfig, 'name' | 'shards'> & { version: number; shards: ShardJson[] };
    if (json.version !== FORMAT_VERSION || !Array.isArray(json.shards) || typeof json.attributes !== 'object') {
      throw new Error('unknown format');
    }
    const shards = json.shards.map(({ startingHashKey, endingHashKey, ...shard }) => ({
      ...shard,
      hashKeyRange: { start: BigInt(startingHashKey), end: BigInt(endingHashKey) },
    }));
    return {
      name, attributes: json.attributes, shards, createdAt: json.createdAt, updatedAt: json.updatedAt,
      trimmedBefore: json.trimmedBefore ?? 0, segmentBytes: json.segmentBytes,
    };
  } catch (error) {
    throw new MqError('CORRUPT', `stream "${name}" has an unreadable stream.json`, { cause: error });
  }
}

export function formatStreamConfig(config: StreamConfig): string {
  const { attributes, createdAt, updatedAt, trimmedBefore, segmentBytes } = config;
  const shards: ShardJson[] = config.shards.map(({ hashKeyRange, ...shard }) => ({
    ...shard,
    startingHashKey: hashKeyRange.start.toString(),
    endingHashKey: hashKeyRange.end.toString(),
  }));
  return `${JSON.stringify({ version: FORMAT_VERSION, createdAt, updatedAt, attributes, trimmedBefore, segmentBytes, shards }, null, 2)}\n`;
}

export function writeStreamConfig(file: string, config: StreamConfig, durable: boolean): void {
  writeFileAtomic(file, formatStreamConfig(config), { durable });
}

// How ListShards and DescribeStreamSummary show a stream (core, for every backend).
export { listedShards, streamInfo } from '../../core/stream-info.js';

// How the stream store opens a stream (fs-env.ts openEntity).
export const STREAMS: StoreEntity<StreamLayout, StreamConfig> = {
  noun: 'stream',
  notFound: 'STREAM_NOT_FOUND',
  validate: validateStreamName,
  layoutOf: (store: StoreLayout, name: string) => store.stream(name),
  read: readStreamConfig,
};
