// mq groups: the consumer groups of a stream, with their checkpoint and lag (records and time) per shard.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import { validateGroupName } from '../../core/names.js';
import { type CliContext, sessionFor } from '../context.js';
import { groupJson, groupsTable } from '../format/stream-format.js';

export function registerGroups(program: Command, ctx: CliContext): void {
  program
    .command('groups')
    .summary('list consumer groups with their checkpoints and lag per shard')
    .description('List the consumer groups of a stream (made by tail --group): per group and shard, the checkpoint, how many records are unread after it, and how long the oldest unread record has waited.')
    .argument('<stream>', 'stream name')
    .argument('[group]', 'only this group (exit 3 when it does not exist)')
    .addHelpText('after', '\nExamples:\n  mq groups events\n  mq groups events billing --json | jq .lagRecords')
    .action(async (stream: string, group: string | undefined, _flags: unknown, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      if (group !== undefined) validateGroupName(group);
      const lags = (await backend.streams.groups(stream)).filter((lag) => group === undefined || lag.group === group);
      if (group !== undefined && lags.length === 0) {
        throw new MqError('GROUP_NOT_FOUND', `consumer group "${group}" of stream "${stream}" does not exist`);
      }
      if (out.json) out.records(lags.map(groupJson));
      else if (lags.length > 0) out.lines(groupsTable(lags));
    });
}
