// What a stream's shards hold now (DescribeStream, and `mq shards`): per listed shard its readable
// records, first and last sequence numbers and the bytes its segments take. Expired segments are dropped
// on the way, as every command that looks at a stream does.
import { counterInShard, formatSequence } from '../../core/sequence-numbers.js';
import { describeShard } from '../../core/shard-map.js';
import type { ShardDescription, StreamDescription } from '../../core/stream-types.js';
import { dropExpiredSegments } from './janitor.js';
import { type ReadHints, readFirst } from './read.js';
import { ShardFiles } from './shard-files.js';
import { type StreamContext, cutoffOf } from './stream-context.js';
import { listedShards, streamInfo } from './stream-config.js';

export function describeStream(ctx: StreamContext, hints: ReadHints): StreamDescription {
  const cutoff = cutoffOf(ctx);
  const now = ctx.env.clock.now();
  const shards = listedShards(ctx.config, now).map((shard): ShardDescription => {
    const files = ShardFiles.in(ctx.layout, shard.index);
    dropExpiredSegments(files, cutoff);
    const segments = files.segments();
    let bytes = 0;
    for (const first of segments) {
      const file = files.open(first);
      if (!file) continue;
      bytes += file.size;
      file.close();
    }
    const newest = files.newest(segments);
    const [oldest] = readFirst(ctx, files, { type: 'trim-horizon' }, 1, hints);
    const live = oldest !== undefined && newest.arrivedAt > cutoff;
    return {
      ...describeShard(shard),
      records: live ? newest.counter - counterInShard(oldest.sequence, shard.index) + 1 : 0,
      bytes,
      firstSequence: live ? oldest.sequence : null,
      lastSequence: live ? formatSequence(shard.index, newest.counter) : null,
      lastArrivedAt: newest.arrivedAt || null,
    };
  });
  return { ...streamInfo(ctx.config, now), shards };
}
