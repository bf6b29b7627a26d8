// create-stream, rm-stream, retention: the stream lifecycle commands.
import { type Command, Option } from 'commander';
import { type CreateStreamOptions, formatHours } from '../../core/stream-attributes.js';
import { formatSize } from '../../core/units.js';
import { type FlagTable, conflictsAsFlags, describeAsFlag } from './conflict-flags.js';
import { type CliContext, sessionFor } from '../context.js';
import { countOption, durationOption, sizeOption } from '../options.js';
import { streamRecord } from './stream-format.js';

interface CreateStreamFlags {
  shards?: number;
  retention?: number;
  maxRecordSize?: number;
  durability?: 'fsync' | 'none';
}

const STREAM_FLAGS: FlagTable = {
  shardCount: ['--shards', String],
  retentionMs: ['--retention', formatHours],
  maxRecordBytes: ['--max-record-size', formatSize],
  durability: ['--durability', String],
};

export function registerCreateStream(program: Command, ctx: CliContext): void {
  program
    .command('create-stream')
    .summary('create a stream of N shards (idempotent when the attributes match)')
    .description('Create a stream (CreateStream): N open shards shardId-000000000000... splitting the 128-bit hash key space evenly. Creating a stream that exists is a no-op when every attribute given matches it, and exits 4 when one differs.')
    .argument('<stream>', 'stream name: 1-128 characters from A-Z a-z 0-9 _ . -')
    .option('--shards <n>', 'number of shards (1..1000; default: 1)', countOption(1, 1000))
    .option('--retention <duration>', 'how long records are kept (24h..8760h; default: 24h)', durationOption)
    .option('--max-record-size <size>', 'largest record, data plus partition key (1MiB..10MiB; default: 1MiB)', sizeOption)
    .addOption(new Option('--durability <mode>', 'fsync: a stored record survives a power cut; none: a process crash only (default: fsync)').choices(['fsync', 'none']))
    .addHelpText('after', '\nExamples:\n  mq create-stream events --shards 4\n  mq create-stream logs --retention 7d --durability none')
    .action(async (stream: string, flags: CreateStreamFlags, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const options: CreateStreamOptions = {};
      if (flags.shards !== undefined) options.shardCount = flags.shards;
      if (flags.retention !== undefined) options.retentionMs = flags.retention;
      if (flags.maxRecordSize !== undefined) options.maxRecordBytes = flags.maxRecordSize;
      if (flags.durability !== undefined) options.durability = flags.durability;
      const result = await conflictsAsFlags(`stream "${stream}"`, () => backend.streams.create(stream, options), (conflict) => describeAsFlag(STREAM_FLAGS, conflict));
      if (out.json) out.record(streamRecord(result.stream, { created: result.created }));
    });
}

export function registerRmStream(program: Command, ctx: CliContext): void {
  program
    .command('rm-stream')
    .summary('delete a stream and its records')
    .argument('<stream...>', 'stream names')
    .addHelpText('after', '\nExample:\n  mq rm-stream events')
    .action(async (streams: string[], _flags: unknown, command: Command) => {
      const { backend } = sessionFor(ctx, command);
      for (const stream of streams) await backend.streams.remove(stream);
    });
}

export function registerRetention(program: Command, ctx: CliContext): void {
  program
    .command('retention')
    .summary('change how long a stream keeps its records (24h..8760h)')
    .description('Increase or decrease the retention period of a stream (Increase/DecreaseStreamRetentionPeriod): longer up to 8760h, shorter down to 24h. A decrease hides older records at once; an increase never brings back records that had already expired.')
    .argument('<stream>', 'stream name')
    .argument('<duration>', 'the new retention period', durationOption)
    .addHelpText('after', '\nExamples:\n  mq retention events 7d\n  mq retention events 24h')
    .action(async (stream: string, retentionMs: number, _flags: unknown, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const info = await backend.streams.setRetention(stream, retentionMs);
      if (out.json) out.record(streamRecord(info));
    });
}
