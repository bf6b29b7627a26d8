// mq top: a live view of every queue, redrawn every second on a terminal (plain lines when piped).
import type { Command } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { type LiveFlags, addLiveOptions, liveViewOptions } from '../live/live-options.js';
import { runLiveView } from '../live/live-view.js';
import { queueListSection } from '../live/queue-section.js';

export function registerTop(program: Command, ctx: CliContext): void {
  addLiveOptions(
    program
      .command('top')
      .summary('live view of every queue: counts, rates and depth over the last minute')
      .description('Show every queue with its visible, in-flight and delayed messages, the depth of its dead-letter queue, the age of its oldest message, in and out rates and a sparkline of visible messages over the last minute. On a terminal the view is redrawn every interval until Ctrl-C (exit 0); otherwise each sample is appended as plain key=value lines (NDJSON with --json), for logs. The rates come from successive samples of the number of stored messages: "in" is how fast it grew, "out" how fast it shrank, over the last 5 seconds.')
      .argument('[prefix]', 'only queues whose names start with this'),
  )
    .addHelpText('after', '\nExamples:\n  mq top\n  mq top jobs --interval 5s\n  mq top --json --frames 1 | jq .visible')
    .action(async (prefix: string | undefined, flags: LiveFlags, command: Command) => {
      const session = sessionFor(ctx, command);
      await runLiveView([queueListSection(session.backend.queues, prefix)], liveViewOptions(session, flags, `mq top  ${session.store.display}`));
    });
}
