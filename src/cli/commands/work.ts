// mq work: the receive-run-ack loop for cron jobs and services. Runs CMD once per message (argv, no
// shell; the body on stdin, MQ_* in the environment), acks on exit 0, gives the message back for retry
// otherwise, and prints a summary line on stderr. The loop is the library's queue worker
// (src/workers/queue-worker.ts); this adapter gives it the command as its handler and prints its events.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import { SECOND } from '../../core/queue-attributes.js';
import type { ReceivedMessage } from '../../core/queue-types.js';
import { formatDuration } from '../../core/units.js';
import { describeQueueWorkerEvent } from '../../workers/events.js';
import { runQueueWorker } from '../../workers/queue-worker.js';
import { DEFAULT_MAX_RETRY_DELAY_MS, checkInFlightCap } from '../../workers/retry.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { countOption, durationOption } from '../options/values.js';
import { KILL_GRACE_MS, commandHandler } from '../workers/handler-process.js';
import { summaryLine, workExitCode } from '../workers/work-summary.js';

interface WorkFlags {
  concurrency: number;
  maxMessages?: number;
  untilEmpty?: boolean;
  visibilityTimeout?: number;
  retryDelay?: number;
  backoff?: boolean;
  maxRetryDelay: number;
  timeout?: number;
}


// The handler's environment: ours, plus what it needs to know about its message. MQ_HOME (or MQ_URL and
// MQ_NAMESPACE) name the store in use, so `mq` run from the handler (a follow-up send, an extend) uses
// the same queues.
function handlerEnv(base: Record<string, string | undefined>, storeEnv: Record<string, string>, queue: string, message: ReceivedMessage): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...base,
    ...storeEnv,
    MQ_QUEUE: queue,
    MQ_MESSAGE_ID: message.id,
    MQ_RECEIPT: message.receipt,
    MQ_RECEIVE_COUNT: String(message.receiveCount),
  };
  if (message.group !== undefined) env.MQ_GROUP = message.group;
  else delete env.MQ_GROUP;
  return env;
}

export function registerWork(program: Command, ctx: CliContext): void {
  program
    .command('work')
    .summary('run a command for each message: ack on success, retry on failure')
    .description('Take messages and run COMMAND once for each, with the body on its stdin and MQ_QUEUE, MQ_MESSAGE_ID, MQ_RECEIPT, MQ_RECEIVE_COUNT and MQ_GROUP (FIFO) in its environment. COMMAND is run directly, never through a shell, and the body never appears on a command line. Exit 0 deletes the message; a non-zero exit, a signal or --timeout makes it visible again after the retry delay, and the failure counts toward the dead-letter policy. The message\'s visibility is extended while it is held, so a slow handler is never delivered twice. FIFO groups are handled in order, one message at a time. SIGINT/SIGTERM: take nothing new, give back what was taken but not started, let running handlers finish, then exit. Exit status: 0; 5 if any handler failed; 130 if stopped by a signal with no failure. A summary line goes to stderr.')
    .argument('<queue>', 'queue name')
    .argument('<command...>', 'the handler and its arguments (put them after --)')
    .option('-c, --concurrency <n>', 'run up to N handlers at once (1..1000)', countOption(1, 1000), 1)
    .option('--max-messages <n>', 'stop after taking N messages, whatever their outcome', countOption(1))
    .option('--until-empty', 'exit once a receive finds nothing and no handler is running (for cron)')
    .option('--visibility-timeout <duration>', 'keep a taken message invisible this long, extended every third of it while held (default: the queue\'s; at least 1s)', durationOption)
    .option('--retry-delay <duration>', 'a failed message becomes visible again after this long (default: the visibility timeout)', durationOption)
    .option('--backoff', 'double the retry delay for each earlier delivery: delay x 2^(receive count - 1)')
    .option('--max-retry-delay <duration>', 'the most --backoff waits', durationOption, DEFAULT_MAX_RETRY_DELAY_MS)
    .option('--timeout <duration>', 'kill a handler running longer than this (SIGTERM, then SIGKILL after 5s); its message is retried', durationOption)
    .addHelpText('after', `
Examples:
  mq work jobs -- ./process.sh
  mq work jobs --concurrency 4 --timeout 5m --retry-delay 30s --backoff -- python3 handle.py
  */5 * * * *  mq work jobs --until-empty -- /opt/app/process-job     (crontab)
  mq work images --max-messages 100 -- convert - -resize 50% out.png`)
    .action(async (queue: string, commandArgs: string[], flags: WorkFlags, command: Command) => {
      const { backend, out, io, store: chosen } = sessionFor(ctx, command);
      const store = backend.queues;
      const info = await store.get(queue);
      const visibilityTimeoutMs = checkInFlightCap(flags.visibilityTimeout ?? info.attributes.visibilityTimeoutMs, 'visibility timeout');
      if (visibilityTimeoutMs < SECOND) {
        throw new MqError('INVALID_ARGUMENT', `mq work needs a visibility timeout of at least 1s (queue "${queue}" has ${formatDuration(visibilityTimeoutMs)}): give --visibility-timeout`);
      }
      if (flags.timeout !== undefined && flags.timeout <= 0) throw new MqError('INVALID_ARGUMENT', '--timeout must be more than 0s');
      const report = await runQueueWorker({
        store,
        queue,
        concurrency: flags.concurrency,
        ...(flags.maxMessages !== undefined ? { maxMessages: flags.maxMessages } : {}),
        untilEmpty: Boolean(flags.untilEmpty),
        visibilityTimeoutMs,
        retry: { ...(flags.retryDelay !== undefined ? { delayMs: flags.retryDelay } : {}), backoff: Boolean(flags.backoff), maxDelayMs: flags.maxRetryDelay },
        signal: io.interruptSignal(),
        handler: commandHandler((message: ReceivedMessage) => ({
          command: commandArgs,
          env: handlerEnv(io.env, chosen.env, queue, message),
          body: message.body,
          stdout: io.stdout,
          stderr: io.stderr,
          ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
          killGraceMs: KILL_GRACE_MS,
        })),
        onEvent: (event) => {
          const line = describeQueueWorkerEvent(event);
          if (line !== null) out.note(line);
        },
      });
      out.note(summaryLine(queue, report));
      if (report.error !== undefined) throw report.error;
      if (report.fatal) throw new MqError('INVALID_ARGUMENT', `cannot run ${JSON.stringify(commandArgs[0])}: ${report.fatal.reason}`);
      failWith(ctx, workExitCode(report));
    });
}
