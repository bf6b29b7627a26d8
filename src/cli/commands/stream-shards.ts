// mq shards: the shards of a stream with their hash key ranges, sequence ranges, records and bytes.
import type { Command } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { shardJson, shardsTable } from '../format/stream-format.js';

export function registerShards(program: Command, ctx: CliContext): void {
  program
    .command('shards')
    .summary('list the shards of a stream (ListShards)')
    .description('List the shards of a stream: id, state (open/closed), parents, hash key range, first and last readable sequence number, records and bytes. --json prints one object per shard.')
    .argument('<stream>', 'stream name')
    .addHelpText('after', '\nExamples:\n  mq shards events\n  mq shards events --json | jq -r .shardId')
    .action(async (stream: string, _flags: unknown, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const description = await backend.streams.describe(stream);
      if (out.json) out.records(description.shards.map(shardJson));
      else out.lines(shardsTable(description));
    });
}
