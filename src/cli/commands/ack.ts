// ack, nack, extend: what a consumer does with a receipt.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { readRecordBatches, requirePipedStdin } from '../input/lines.js';
import { durationOption } from '../options/values.js';

// A stdin line is a receipt, or a JSON line from `mq receive` (its "receipt" field is used).
function receiptOf(line: string): string {
  const text = line.trim();
  if (!text.startsWith('{')) return text;
  try {
    const receipt = (JSON.parse(text) as { receipt?: unknown }).receipt;
    if (typeof receipt === 'string') return receipt;
  } catch {
    // fall through: reported as an invalid receipt
  }
  throw new MqError('RECEIPT_INVALID', 'JSON line has no "receipt" field');
}

export function registerAck(program: Command, ctx: CliContext): void {
  program
    .command('ack')
    .summary('delete received messages by their receipts')
    .description('Delete messages by receipt (DeleteMessage). Receipts come from arguments, or from stdin one per line (a JSON line from mq receive works too). A receipt that is no longer valid (the message was deleted, or received again after its visibility timeout) is reported and the others are still deleted; the exit status is then 4.')
    .argument('<queue>', 'queue name')
    .argument('[receipt...]', 'receipts (default: lines of stdin)')
    .addHelpText('after', '\nExamples:\n  mq ack jobs "$receipt"\n  mq receive jobs -n 10 | jq -r .receipt | mq ack jobs')
    .action(async (queue: string, receipts: string[], _flags: unknown, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      await backend.queues.get(queue);
      const ackAll = async (batch: string[]) => {
        for (const outcome of await backend.queues.ack(queue, batch)) {
          if (outcome.ok) continue;
          out.error(outcome.error);
          failWith(ctx, exitCodeFor(outcome.error));
        }
      };
      if (receipts.length > 0) {
        await ackAll(receipts);
        return;
      }
      requirePipedStdin(io.stdin, 'receipts');
      for await (const batch of readRecordBatches(io.stdin, { maxBytes: 64 * 1024 })) {
        const valid: string[] = [];
        for (const record of batch) {
          if (record.text === null || record.text.trim() === '') continue;
          try {
            valid.push(receiptOf(record.text));
          } catch (error) {
            out.error(error, `line ${record.index}`);
            failWith(ctx, exitCodeFor(error));
          }
        }
        await ackAll(valid);
      }
    });
}

export function registerNack(program: Command, ctx: CliContext): void {
  program
    .command('nack')
    .summary('give a received message back, visible now or after a delay')
    .argument('<queue>', 'queue name')
    .argument('<receipt>', 'the receipt from receive')
    .option('--delay <duration>', 'make it visible after this long instead of now', durationOption, 0)
    .addHelpText('after', '\nExamples:\n  mq nack jobs "$receipt"\n  mq nack jobs "$receipt" --delay 1m')
    .action(async (queue: string, receipt: string, flags: { delay: number }, command: Command) => {
      const { backend } = sessionFor(ctx, command);
      await backend.queues.changeVisibility(queue, receipt, flags.delay);
    });
}

export function registerExtend(program: Command, ctx: CliContext): void {
  program
    .command('extend')
    .summary('keep a received message invisible for longer')
    .description('Set the visibility timeout of a received message to DURATION from now (ChangeMessageVisibility). A message stays in flight at most 12 h after it was received.')
    .argument('<queue>', 'queue name')
    .argument('<receipt>', 'the receipt from receive')
    .argument('<duration>', 'new visibility timeout, counted from now', durationOption)
    .addHelpText('after', '\nExample:\n  mq extend jobs "$receipt" 10m')
    .action(async (queue: string, receipt: string, duration: number, _flags: unknown, command: Command) => {
      const { backend } = sessionFor(ctx, command);
      await backend.queues.changeVisibility(queue, receipt, duration);
    });
}
