// mq send: messages from arguments (all checked before any is stored) or from stdin, stored and printed
// as they arrive. An invalid stdin record is reported with its line number and skipped; the others are
// stored, and the exit status is 2.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import type { MessageAttributes } from '../../core/message.js';
import type { SendOutcome, SendRequest } from '../../core/queue-types.js';
import { QUEUE_LIMITS } from '../../core/queue-attributes.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { NUL, readRecordBatches, readWhole, requirePipedStdin } from '../input/lines.js';
import { durationOption, keyValueOption } from '../options/values.js';
import { sendRecord } from '../format/queue-format.js';
import { Progress } from '../progress.js';

interface SendFlags {
  group?: string;
  dedupId?: string;
  delay?: number;
  attr?: MessageAttributes;
  whole?: boolean;
  null?: boolean;
}

export function registerSend(program: Command, ctx: CliContext): void {
  program
    .command('send')
    .summary('send messages: each argument, or each line of stdin, is one message')
    .description('Send messages. Each BODY argument is one message; with none, each line of stdin is one message, stored as soon as it is complete. Prints one message id per line, after the message is stored; a FIFO duplicate prints the id of the original and enqueues nothing.')
    .argument('<queue>', 'queue name')
    .argument('[body...]', 'message bodies (default: lines of stdin)')
    .option('--group <id>', 'message group (required on FIFO queues: order is kept within a group)')
    .option('--dedup-id <id>', 'FIFO: deduplication id; a second send with it within 5 minutes enqueues nothing')
    .option('--delay <duration>', 'standard queues: keep the messages invisible this long (0s..15m; default: the queue\'s delay)', durationOption)
    .option('--attr <key=value>', 'a message attribute (repeatable, at most 10)', keyValueOption)
    .option('--whole', 'send all of stdin as one message')
    .option('-0, --null', 'stdin messages are separated by NUL bytes, not newlines')
    .addHelpText('after', '\nExamples:\n  mq send jobs "resize img1.png"\n  seq 1000 | mq send jobs\n  mq send orders.fifo --group customer-42 --dedup-id order-7 "$(cat order.json)"\n  find . -name "*.png" -print0 | mq send jobs -0 --attr kind=image\n  mq send jobs --whole < report.json')
    .action(async (queue: string, bodies: string[], flags: SendFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const store = backend.queues;
      const toRequest = (body: string): SendRequest => ({
        body,
        ...(flags.group !== undefined ? { group: flags.group } : {}),
        ...(flags.dedupId !== undefined ? { dedupId: flags.dedupId } : {}),
        ...(flags.attr ? { attributes: flags.attr } : {}),
        ...(flags.delay !== undefined ? { delayMs: flags.delay } : {}),
      });
      // Prints the outcomes that were stored, each beside the request it answers.
      const print = (requests: SendRequest[], outcomes: SendOutcome[]) => {
        const sent = outcomes.flatMap((o, i) => (o.ok ? [[o, requests[i]!] as const] : []));
        if (out.json) out.records(sent.map(([result, request]) => sendRecord(result, request)));
        else out.lines(sent.map(([result]) => result.id));
        return sent.length;
      };
      // All-or-nothing sends: print what was stored; a store that failed part-way is then reported.
      const sendAll = async (requests: SendRequest[]) => {
        const outcomes = await store.send(queue, requests, { atomic: true });
        print(requests, outcomes);
        const failed = outcomes.find((o) => !o.ok);
        if (failed && !failed.ok) throw failed.error;
      };

      if (bodies.length > 0) {
        await sendAll(bodies.map(toRequest));
        return;
      }
      requirePipedStdin(io.stdin, 'messages');
      await store.get(queue); // fail before reading stdin when the queue does not exist
      const maxBytes = QUEUE_LIMITS.maxMessageBytes.max;
      if (flags.whole) {
        const record = await readWhole(io.stdin, maxBytes);
        if (record.text === null) throw new MqError('INVALID_MESSAGE', `stdin: ${record.problem}`);
        await sendAll([toRequest(record.text)]);
        return;
      }
      const what = flags.null ? 'record' : 'line';
      // The ids are the progress when they scroll by on the terminal; the bar is for `> ids.txt` and pipes.
      const progress = new Progress(io, 'sent', { enabled: !io.stdout.isTTY });
      let sentCount = 0;
      for await (const batch of readRecordBatches(io.stdin, { separator: flags.null ? NUL : undefined, maxBytes })) {
        const usable = batch.filter((record) => {
          if (record.text !== null) return true;
          progress.done();
          out.error(record.problem, `${what} ${record.index}`);
          failWith(ctx, ExitCode.USAGE);
          return false;
        });
        const requests = usable.map((record) => toRequest(record.text!));
        const outcomes = await store.send(queue, requests);
        let storeFailure: unknown = null;
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.ok) continue;
          if (exitCodeFor(outcome.error) === ExitCode.USAGE) {
            progress.done();
            out.error(outcome.error, `${what} ${usable[i]!.index}`);
            failWith(ctx, ExitCode.USAGE);
          } else {
            storeFailure ??= outcome.error;
          }
        }
        progress.update((sentCount += print(requests, outcomes)));
        // The store failed part-way (a full disk): what was stored is printed; stop here.
        if (storeFailure) {
          progress.done();
          throw storeFailure;
        }
      }
      progress.done();
    });
}
