// mq consume: a KCL-style worker of a consumer group. Holds shard leases shared with the group's other
// workers, runs CMD once per batch of records (argv, no shell; NDJSON on stdin, MQ_* in the environment)
// and checkpoints after it exits 0. The worker is the library's stream consumer
// (src/workers/stream-consumer.ts); this adapter gives it the command as its handler and prints its events.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { MqError, invalidArgument } from '../../core/errors.js';
import { validateGroupName } from '../../core/names.js';
import { STREAM_LIMITS } from '../../core/stream-attributes.js';
import type { StreamRecord } from '../../core/stream-types.js';
import { SECOND } from '../../core/queue-attributes.js';
import { describeStreamConsumerEvent } from '../../workers/events.js';
import { CONSUMER_DEFAULTS, runStreamConsumer } from '../../workers/stream-consumer.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { countOption, durationOption } from '../options/values.js';
import { KILL_GRACE_MS, commandHandler } from '../workers/handler-process.js';
import { consumeExitCode, consumeSummaryLine } from '../workers/consume-summary.js';
import { parsePosition } from '../options/stream-options.js';
import { recordJson } from '../format/stream-format.js';

interface ConsumeFlags {
  group: string;
  from?: string;
  batch: number;
  failoverTimeout: number;
  workerId?: string;
  retryDelay: number;
  maxRetryDelay: number;
  timeout?: number;
}

// hostname-pid-random, in the characters a worker id may have.
function defaultWorkerId(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'host';
  return `${host}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

// The batch on the handler's stdin: one `tail --json` object per line.
function batchInput(records: StreamRecord[]): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(recordJson(record))}\n`;
  return text;
}

export function registerConsume(program: Command, ctx: CliContext): void {
  program
    .command('consume')
    .summary('run a command per batch of records as one worker of a consumer group')
    .description('Work as one worker of consumer group G (the KCL model): hold leases on shards (one live holder per shard, renewed every third of --failover-timeout, taken over by another worker when not renewed in time), run COMMAND once per batch of records with the batch on its stdin as NDJSON (one `tail --json` object per line) and MQ_STREAM, MQ_SHARD, MQ_GROUP, MQ_WORKER in its environment, and checkpoint after it exits 0. A failing COMMAND gets the same batch again, with backoff. Parents are finished before their children (SHARD_END). Workers of one group share the shards: each takes at most ceil(shards ready / live workers) and gives back its excess when a worker joins. SIGINT/SIGTERM: finish the batch, checkpoint, release the leases, exit. Exit status: 5 if any run failed, else 130 when stopped by a signal.')
    .argument('<stream>', 'stream name')
    .argument('<command...>', 'the handler and its arguments (put them after --)')
    .requiredOption('--group <group>', 'the consumer group')
    .option('--from <position>', 'where a new group starts: trim-horizon, latest (default) or a time (ISO-8601, epoch ms, -15m)')
    .option('--batch <n>', `most records per handler run (1..${STREAM_LIMITS.readLimit.max})`, countOption(1, STREAM_LIMITS.readLimit.max), CONSUMER_DEFAULTS.batchSize)
    .option('--failover-timeout <duration>', 'a lease not renewed for this long is taken over (at least 1s)', durationOption, CONSUMER_DEFAULTS.failoverTimeoutMs)
    .option('--worker-id <id>', 'this worker\'s name in the group (default: host-pid-random)')
    .option('--retry-delay <duration>', 'first wait before a failed batch runs again, doubled each time', durationOption, CONSUMER_DEFAULTS.retryDelayMs)
    .option('--max-retry-delay <duration>', 'the longest wait between runs of a failing batch', durationOption, CONSUMER_DEFAULTS.maxRetryDelayMs)
    .option('--timeout <duration>', 'kill a handler running longer than this (SIGTERM, then SIGKILL after 5s); the batch is retried', durationOption)
    .addHelpText('after', `
Examples:
  mq consume events --group billing -- ./bill.sh
  mq consume events --group index --from trim-horizon --batch 500 -- python3 index.py
  mq consume events --group audit --failover-timeout 30s --worker-id audit-1 -- jq -c .data`)
    .action(async (stream: string, commandArgs: string[], flags: ConsumeFlags, command: Command) => {
      const { backend, out, io, store: chosen } = sessionFor(ctx, command);
      const store = backend.streams;
      validateGroupName(flags.group);
      const start = flags.from === undefined ? { type: 'latest' as const } : parsePosition(flags.from, Date.now());
      if (start.type === 'at-sequence' || start.type === 'after-sequence') {
        throw invalidArgument('--from of mq consume is trim-horizon, latest or a time: a sequence number names one shard');
      }
      if (flags.failoverTimeout < SECOND) throw invalidArgument('--failover-timeout must be at least 1s');
      if (flags.timeout !== undefined && flags.timeout <= 0) throw invalidArgument('--timeout must be more than 0s');
      const workerId = validateGroupName(flags.workerId ?? defaultWorkerId());
      await store.get(stream);

      const report = await runStreamConsumer({
        store, stream, group: flags.group, workerId, start, batchSize: flags.batch, failoverTimeoutMs: flags.failoverTimeout,
        retry: { delayMs: flags.retryDelay, maxDelayMs: flags.maxRetryDelay },
        signal: io.interruptSignal(),
        handler: commandHandler((records: StreamRecord[], shardId: string) => ({
          command: commandArgs,
          env: { ...io.env, ...chosen.env, MQ_STREAM: stream, MQ_SHARD: shardId, MQ_GROUP: flags.group, MQ_WORKER: workerId },
          body: batchInput(records),
          stdout: io.stdout,
          stderr: io.stderr,
          ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
          killGraceMs: KILL_GRACE_MS,
        })),
        onEvent: (event) => {
          const line = describeStreamConsumerEvent(event);
          if (line !== null) out.note(line);
        },
      });
      out.note(consumeSummaryLine(stream, flags.group, workerId, report));
      if (report.error !== undefined) throw report.error;
      if (report.fatal) throw new MqError('INVALID_ARGUMENT', `cannot run ${JSON.stringify(commandArgs[0])}: ${report.fatal.reason}`);
      failWith(ctx, consumeExitCode(report));
    });
}
