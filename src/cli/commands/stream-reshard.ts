// mq split, mq merge, mq reshard: SplitShard, MergeShards and UpdateShardCount. Each prints the shards
// that result: the children of a split or merge, every open shard after a reshard (ids, or with --json
// the ListShards objects).
import type { Command } from 'commander';
import type { ReshardResult, ShardInfo } from '../../core/stream-types.js';
import { type CliContext, sessionFor } from '../context.js';
import type { Output } from '../output.js';
import { countOption } from '../options/values.js';
import { shardOption } from '../options/stream-options.js';
import { shardInfoJson } from '../format/stream-format.js';

function printShards(out: Output, shards: ShardInfo[]): void {
  if (out.json) out.records(shards.map(shardInfoJson));
  else out.lines(shards.map((s) => s.shardId));
}

const openCreated = (result: ReshardResult) => result.created.filter((s) => s.state === 'open');

export function registerSplit(program: Command, ctx: CliContext): void {
  program
    .command('split')
    .summary('split a shard in two (SplitShard)')
    .description('Split an open shard in two: it closes (readable until retention expires it, no more writes) and two children take its hash key range, the lower one [start, HASHKEY-1] and the upper one [HASHKEY, end]. Prints the children. A closed shard cannot be split (exit 4).')
    .argument('<stream>', 'stream name')
    .argument('<shard>', 'the shard to split (3 or shardId-000000000003)', shardOption)
    .option('--at <hashkey>', 'first hash key of the upper child, a decimal inside the range (default: the middle)')
    .addHelpText('after', '\nExamples:\n  mq split events 0\n  mq split events shardId-000000000001 --at 255211775190703847597530955573826158592 --json')
    .action(async (stream: string, shard: string, flags: { at?: string }, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      printShards(out, openCreated(await backend.streams.splitShard(stream, shard, flags.at)));
    });
}

export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .summary('merge two adjacent shards into one (MergeShards)')
    .description('Merge two open shards whose hash key ranges are adjacent: both close (readable until retention expires them) and one child covers both ranges, with the first as its parent and the second as its adjacent parent. Prints the child. A closed shard cannot be merged (exit 4); shards that are not adjacent exit 2.')
    .argument('<stream>', 'stream name')
    .argument('<shard>', 'a shard (3 or shardId-000000000003)', shardOption)
    .argument('<adjacent-shard>', 'the shard next to it', shardOption)
    .addHelpText('after', '\nExample:\n  mq merge events 1 2')
    .action(async (stream: string, shard: string, adjacent: string, _flags: unknown, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      printShards(out, openCreated(await backend.streams.mergeShards(stream, shard, adjacent)));
    });
}

export function registerReshard(program: Command, ctx: CliContext): void {
  program
    .command('reshard')
    .summary('change the number of open shards, evenly (UpdateShardCount)')
    .description('Make N open shards splitting the hash key space evenly, by splits and merges of the open ones (N from half to twice the open count). Closed shards stay readable until retention expires them. Prints the open shards after the change; nothing changes when the shards are already N even ones.')
    .argument('<stream>', 'stream name')
    .requiredOption('--shards <n>', 'the number of open shards wanted', countOption(1, 1000))
    .addHelpText('after', '\nExamples:\n  mq reshard events --shards 8\n  mq reshard events --shards 2 --json')
    .action(async (stream: string, flags: { shards: number }, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const result = await backend.streams.updateShardCount(stream, flags.shards);
      printShards(out, result.stream.shards.filter((s) => s.state === 'open'));
    });
}
