// ls, stats, peek: looking at queues without changing them.
import type { Command } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { countOption } from '../options.js';
import { messageRecord, statsRecord, statsText, table } from './format.js';
import { type LiveFlags, addHiddenLiveOptions, liveViewOptions } from '../live/live-options.js';
import { runLiveView } from '../live/live-view.js';
import { queueDetailSection } from '../live/queue-section.js';
import { streamLsJson, streamsLsTable } from './stream-format.js';
import { QUEUE_LIMITS } from '../../core/queue-attributes.js';

const BATCH = QUEUE_LIMITS.receiveBatch;

export function registerLs(program: Command, ctx: CliContext): void {
  program
    .command('ls')
    .summary('list queues and streams with their counts')
    .argument('[prefix]', 'only names starting with this (case-sensitive)')
    .addHelpText('after', '\nExamples:\n  mq ls\n  mq ls --json | jq -r .name')
    .action(async (prefix: string | undefined, _flags: unknown, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const now = Date.now();
      const rows: string[][] = [['NAME', 'TYPE', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'OLDEST', 'DEAD LETTERS TO']];
      for (const info of await backend.queues.list(prefix)) {
        const stats = await backend.queues.stats(info.name);
        const record = statsRecord(stats, now);
        if (out.json) {
          out.record({ kind: 'queue', ...record });
          continue;
        }
        const age = record.oldestAgeSeconds === null ? '-' : `${String(record.oldestAgeSeconds)}s`;
        rows.push([stats.name, stats.attributes.fifo ? 'fifo' : 'standard', String(stats.visible), String(stats.inFlight), String(stats.delayed), age, stats.deadLetter?.queue ?? '-']);
      }
      if (!out.json && rows.length > 1) out.lines(table(rows));
      const streams = await Promise.all((await backend.streams.list(prefix)).map((info) => backend.streams.describe(info.name)));
      if (out.json) out.records(streams.map(streamLsJson));
      else if (streams.length > 0) out.lines([...(rows.length > 1 ? [''] : []), ...streamsLsTable(streams)]);
    });
}

export function registerStats(program: Command, ctx: CliContext): void {
  addHiddenLiveOptions(program
    .command('stats')
    .summary('show counts and settings of a queue')
    .description('Show a queue\'s exact counts (visible, in flight, delayed), the age of its oldest message, a receive-count histogram, its dead-letter queue and depth, and its settings. With --watch, redraw them every second on a terminal, with in and out rates and a sparkline (see mq top); piped, a key=value line per sample.')
    .argument('<queue>', 'queue name')
    .option('--watch', 'redraw every second until Ctrl-C (plain lines when not on a terminal)'))
    .addHelpText('after', '\nExamples:\n  mq stats jobs\n  mq stats jobs --json | jq .visible\n  mq stats jobs --watch')
    .action(async (queue: string, flags: LiveFlags & { watch?: boolean }, command: Command) => {
      const session = sessionFor(ctx, command);
      const { backend, out } = session;
      if (flags.watch) {
        await runLiveView([queueDetailSection(backend.queues, queue)], liveViewOptions(session, flags, `mq stats ${queue}`));
        return;
      }
      const stats = await backend.queues.stats(queue);
      if (out.json) out.record(statsRecord(stats, Date.now()));
      else out.lines(statsText(stats, Date.now()));
    });
}

export function registerPeek(program: Command, ctx: CliContext): void {
  program
    .command('peek')
    .summary('look at the next messages without receiving them')
    .description('Print the next messages in the order receive would take them (then delayed and in-flight ones), without receiving them: no receive count, no visibility change, no receipt.')
    .argument('<queue>', 'queue name')
    .option('-n, --max <n>', `how many messages (1..${BATCH.max})`, countOption(BATCH.min, BATCH.max), 1)
    .option('--body', 'print only the bodies, one per line')
    .addHelpText('after', '\nExample:\n  mq peek jobs -n 5')
    .action(async (queue: string, flags: { max: number; body?: boolean }, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const messages = await backend.queues.peek(queue, { max: flags.max });
      if (flags.body) out.lines(messages.map((m) => m.body));
      else out.records(messages.map(messageRecord));
    });
}
