// mq replay: every record that arrived in a time window, merged across shards in arrival order, then exit.
import type { Command } from 'commander';
import { invalidArgument } from '../../core/errors.js';
import { readDataBlocks, readMerged } from '../../core/stream-reader.js';
import { parseTimestamp } from '../../core/units.js';
import { type CliContext, sessionFor } from '../context.js';
import { shardOption, shardsToRead } from '../options/stream-options.js';
import { dataFormFor, printRecords } from '../format/stream-output.js';

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .summary('print every record that arrived in a time window, then exit')
    .description('Print every record that arrived from --from (included) to --to (excluded; default: to the end), all shards merged by arrival time or one shard. Plain output is the data; --json gives {shard, sequence, arrivedAt, partitionKey, data}, with "dataEncoding":"base64" for data that is not UTF-8 text.')
    .argument('<stream>', 'stream name')
    .requiredOption('--from <time>', 'start of the window: ISO-8601, epoch ms, or relative (-2h)')
    .option('--to <time>', 'end of the window (excluded)')
    .option('--shard <id>', 'replay one shard (3 or shardId-000000000003)', shardOption)
    .option('--base64', 'print each record\'s data in base64 (binary data, one line per record)')
    .addHelpText('after', '\nExamples:\n  mq replay events --from -1h\n  mq replay events --from 2026-01-01T00:00:00Z --to 2026-01-02T00:00:00Z --json')
    .action(async (stream: string, flags: { from: string; to?: string; shard?: string; base64?: boolean }, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const now = Date.now();
      const from = parseTimestamp(flags.from, now, '--from');
      const to = flags.to === undefined ? undefined : parseTimestamp(flags.to, now, '--to');
      if (to !== undefined && to < from) throw invalidArgument('--to is before --from');
      const shardIds = await shardsToRead(backend.streams, stream, flags.shard);
      const cursors = shardIds.map((shardId) => ({ shardId, position: { type: 'at-timestamp' as const, timestamp: from } }));
      const until = to === undefined ? {} : { until: to };
      if (cursors.length === 1 && !out.json && !flags.base64) {
        // One shard, plain: copy the data out in blocks, no object per record.
        for await (const block of readDataBlocks(backend.streams, stream, cursors[0]!, until)) io.stdout.write(block.data);
        return;
      }
      const base64 = Boolean(flags.base64);
      for await (const batch of readMerged(backend.streams, stream, cursors, { ...dataFormFor(out, base64), ...until })) printRecords(out, io, batch, base64);
    });
}
