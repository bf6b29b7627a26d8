// mq receive: take messages (NDJSON with receipts, or bare bodies), optionally long-polling.
import type { Command } from 'commander';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { countOption, durationOption } from '../options.js';
import { messageRecord } from './format.js';
import { QUEUE_LIMITS } from '../../core/queue-attributes.js';

const BATCH = QUEUE_LIMITS.receiveBatch;

interface ReceiveFlags {
  max: number;
  wait?: number;
  visibilityTimeout?: number;
  delete?: boolean;
  body?: boolean;
}

export function registerReceive(program: Command, ctx: CliContext): void {
  program
    .command('receive')
    .summary('receive messages: one JSON line each, with its receipt')
    .description('Receive up to N messages. Each is printed as one JSON line {id, receipt, body, receiveCount, sentAt, firstReceivedAt, attributes} and stays invisible to other receivers for the visibility timeout; ack it with its receipt, or it comes back. Nothing available: no output, exit 0.')
    .argument('<queue>', 'queue name')
    .option('-n, --max <n>', `receive at most N messages (1..${BATCH.max}; SQS allows 10)`, countOption(BATCH.min, BATCH.max), 1)
    .option('--wait <duration>', 'long poll: wait up to this long for a first message (0s..20s; default: the queue\'s)', durationOption)
    .option('--visibility-timeout <duration>', 'keep the messages invisible this long (default: the queue\'s)', durationOption)
    .option('--delete', 'delete the messages as they are received (at most once; no receipt)')
    .option('--body', 'print only the bodies, one per line')
    .addHelpText('after', '\nExamples:\n  mq receive jobs -n 10 --wait 20s\n  mq receive jobs --delete --body\n  mq receive jobs -n 10 | jq -r .receipt | mq ack jobs')
    .action(async (queue: string, flags: ReceiveFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const signal = io.interruptSignal();
      const messages = await backend.queues.receive(queue, {
        max: flags.max,
        ...(flags.wait !== undefined ? { waitMs: flags.wait } : {}),
        ...(flags.visibilityTimeout !== undefined ? { visibilityTimeoutMs: flags.visibilityTimeout } : {}),
        deleteOnReceive: Boolean(flags.delete),
        signal,
      });
      if (flags.body) out.lines(messages.map((m) => m.body));
      else out.records(messages.map(messageRecord));
      if (messages.length === 0 && signal.aborted) failWith(ctx, ExitCode.INTERRUPTED);
    });
}
