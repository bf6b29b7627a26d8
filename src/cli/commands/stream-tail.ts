// mq tail: read records. Without --from, the last N (default 10) like tail(1); with --from, everything
// from that position (at most N with -n); -f then follows records put by any process, and the shards a
// reshard adds. With --group, it starts after the group's checkpoints, reads parents before children,
// and checkpoints what it printed.
import type { Command } from 'commander';
import { type ShardCursor, followMerged, lastSequenceByShard, readLast, readMerged } from '../../core/stream-reader.js';
import { followGroup, readGroup, startGroup } from '../../core/stream-groups.js';
import type { StreamRecord } from '../../core/stream-types.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { countOption } from '../options.js';
import { parsePosition, shardOfPosition, shardOption, shardsToRead } from './stream-options.js';
import { dataFormFor, printRecords } from './stream-output.js';

interface TailFlags {
  shard?: string;
  from?: string;
  lines?: number;
  follow?: boolean;
  group?: string;
}

export function registerTail(program: Command, ctx: CliContext): void {
  program
    .command('tail')
    .summary('print the last records of a stream, or from a position, and follow it with -f')
    .description('Print records: without --from, the last N (default 10); with --from, every record from that position on (at most N with -n). -f then follows new records until interrupted. Shards are merged by arrival time, each shard\'s order kept. Plain output is each record\'s data; --json gives {shard, sequence, arrivedAt, partitionKey, data}. With --group, reading starts after the group\'s checkpoints (--from only sets where a new group starts, default latest) and the group checkpoints what was printed.')
    .argument('<stream>', 'stream name')
    .option('--shard <id>', 'read one shard (3 or shardId-000000000003)', shardOption)
    .option('--from <position>', 'trim-horizon, latest, at:SEQUENCE, after:SEQUENCE, or a time (ISO-8601, epoch ms, -15m)')
    .option('-n, --lines <n>', 'how many records (default: 10 without --from; no limit with it)', countOption(0))
    .option('-f, --follow', 'keep printing records as they are put, until interrupted')
    .option('--group <group>', 'read as consumer group G: resume after its checkpoints, checkpoint after printing')
    .addHelpText('after', '\nExamples:\n  mq tail logs -n 20\n  mq tail logs --shard 3 -f\n  mq tail events --from -15m --json\n  mq tail events --group billing --from trim-horizon -n 100')
    .action(async (stream: string, flags: TailFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const store = backend.streams;
      const position = flags.from === undefined ? undefined : parsePosition(flags.from, Date.now());
      const shardIds = await shardsToRead(store, stream, flags.shard, position);
      const signal = flags.follow ? io.interruptSignal() : undefined;
      let remaining = flags.lines ?? Number.POSITIVE_INFINITY;

      // Prints a batch (up to what is left of -n); with a group, then checkpoints it. False once -n is reached.
      const emit = async (batch: StreamRecord<string | Uint8Array>[]): Promise<boolean> => {
        const shown = batch.length > remaining ? batch.slice(0, remaining) : batch;
        printRecords(out, io, shown);
        remaining -= shown.length;
        if (flags.group) {
          for (const [shardId, sequence] of lastSequenceByShard(shown)) await store.setCheckpoint(stream, flags.group, shardId, { sequence });
        }
        return remaining > 0;
      };
      // A shard named by --shard or by an at:/after: position is read alone; otherwise all of them.
      const allShards = flags.shard === undefined && (position === undefined || shardOfPosition(position) === null);
      const follow = async (cursors: ShardCursor[]) => {
        if (!signal || remaining <= 0) return;
        const options = { ...dataFormFor(out), newShards: allShards };
        for await (const batch of followMerged(store, stream, cursors, signal, options)) if (!(await emit(batch))) return;
        if (signal.aborted) failWith(ctx, ExitCode.INTERRUPTED);
      };

      let cursors: ShardCursor[];
      if (flags.group) {
        const start = position ?? { type: 'latest' as const };
        const options = { start, ...(allShards ? {} : { shardId: shardIds[0]! }), ...dataFormFor(out) };
        if (remaining <= 0) {
          const { shards } = await store.get(stream);
          await startGroup(store, stream, flags.group, shards.filter((s) => shardIds.includes(s.shardId)), start);
          return;
        }
        for await (const batch of readGroup(store, stream, flags.group, options)) if (!(await emit(batch))) return;
        if (!signal) return;
        for await (const batch of followGroup(store, stream, flags.group, options, signal)) if (!(await emit(batch))) return;
        if (signal.aborted) failWith(ctx, ExitCode.INTERRUPTED);
        return;
      } else if (position === undefined) {
        cursors = shardIds.map((shardId) => ({ shardId, position: { type: 'latest' } }));
        const last = await readLast(store, stream, cursors, flags.lines ?? 10);
        printRecords(out, io, last);
        // Like tail(1), -n picks how many old records to show; following then goes on without a cap.
        remaining = Number.POSITIVE_INFINITY;
        return follow(cursors);
      } else {
        cursors = shardIds.map((shardId) => ({ shardId, position }));
      }
      if (remaining <= 0) return;
      for await (const batch of readMerged(store, stream, cursors, dataFormFor(out))) if (!(await emit(batch))) return;
      return follow(cursors);
    });
}
