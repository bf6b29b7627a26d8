// mq redrive: move dead letters back to their source queues (or --to one queue), oldest first.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { countOption } from '../options/values.js';
import { Progress } from '../progress.js';

interface RedriveFlags {
  to?: string;
  max?: number;
  rate?: number;
}

// "50/s" or "50": messages per second.
function rateOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new InvalidArgumentError(`expected a rate such as 50/s, got ${JSON.stringify(value)}`);
  return Number(match[1]);
}

export function registerRedrive(program: Command, ctx: CliContext): void {
  program
    .command('redrive')
    .summary('move dead letters back to the queues they came from')
    .description('Move the messages of a dead-letter queue back, oldest first: each to the queue it came from, or all to --to. They arrive as new messages (a new id, send time and receive count). Each move is one rename, so an interrupted redrive leaves every message in exactly one queue. One redrive per dead-letter queue at a time.')
    .argument('<dlq>', 'the dead-letter queue')
    .option('--to <queue>', 'move every message to this queue instead of its source')
    .option('--max <n>', 'move at most N messages', countOption(1))
    .option('--rate <n/s>', 'move at most N messages per second', rateOption)
    .addHelpText('after', '\nExamples:\n  mq redrive jobs-dead\n  mq redrive jobs-dead --to jobs-retry --max 100 --rate 50/s')
    .action(async (dlq: string, flags: RedriveFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const progress = new Progress(io, 'moved');
      // The dead letters waiting to move give the bar its total (a scan, so only for a terminal).
      if (out.stderrIsTTY) {
        const stats = await backend.queues.stats(dlq);
        const waiting = stats.visible + stats.delayed;
        progress.setTotal(flags.max !== undefined ? Math.min(flags.max, waiting) : waiting);
      }
      const result = await backend.queues.redrive(dlq, {
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        ...(flags.max !== undefined ? { max: flags.max } : {}),
        ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
        signal: io.interruptSignal(),
        onProgress: (moved) => progress.update(moved),
      });
      progress.done();
      if (out.json) out.record({ name: dlq, moved: result.moved, movedTo: result.movedTo, skipped: result.skipped.length });
      const destinations = Object.entries(result.movedTo).map(([queue, n]) => `${n} to ${queue}`).join(', ');
      out.note(`moved ${result.moved} message${result.moved === 1 ? '' : 's'} from ${dlq}${destinations ? `: ${destinations}` : ''}`);
      const reasons = new Map<string, number>();
      for (const { reason } of result.skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      for (const [reason, n] of reasons) out.note(`left ${n} message${n === 1 ? '' : 's'} in ${dlq}: ${reason}`);
    });
}
