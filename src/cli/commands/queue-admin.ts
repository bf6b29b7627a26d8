// create, set, rm, purge: the queue lifecycle commands.
import type { Command } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { addQueueAttributeOptions, attributesFromFlags, queueConflictAsFlags, type QueueAttributeFlags } from './queue-options.js';
import { conflictsAsFlags } from './conflict-flags.js';
import { queueInfoRecord } from './format.js';
import { Progress } from '../progress.js';

export function registerCreate(program: Command, ctx: CliContext): void {
  addQueueAttributeOptions(
    program
      .command('create')
      .summary('create a queue (idempotent when the attributes match)')
      .description('Create a queue. A name ending in .fifo makes a FIFO queue. Creating a queue that exists is a no-op when every attribute given matches it, and exits 4 when one differs.')
      .argument('<queue>', 'queue name: 1-80 characters from A-Z a-z 0-9 _ - (FIFO: ending in .fifo)'),
    true,
  )
    .addHelpText('after', '\nExamples:\n  mq create jobs\n  mq create jobs --visibility-timeout 5m --dlq jobs-dead --max-receives 5\n  mq create orders.fifo --content-dedup')
    .action(async (queue: string, flags: QueueAttributeFlags, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const result = await conflictsAsFlags(`queue "${queue}"`, () => backend.queues.create(queue, attributesFromFlags(flags)), queueConflictAsFlags);
      if (out.json) out.record(queueInfoRecord(result.queue, { created: result.created }));
    });
}

export function registerSet(program: Command, ctx: CliContext): void {
  addQueueAttributeOptions(
    program
      .command('set')
      .summary('change attributes of a queue')
      .description('Change attributes of a queue (its type, standard or FIFO, cannot change). A new delay applies to messages sent from now on.')
      .argument('<queue>', 'queue name'),
    false,
  )
    .addHelpText('after', '\nExamples:\n  mq set jobs --visibility-timeout 2m\n  mq set jobs --dlq jobs-dead --max-receives 3\n  mq set jobs --no-dlq')
    .action(async (queue: string, flags: QueueAttributeFlags, command: Command) => {
      const { backend, out } = sessionFor(ctx, command);
      const current = await backend.queues.get(queue);
      const info = await backend.queues.update(queue, attributesFromFlags(flags, current.attributes));
      if (out.json) out.record(queueInfoRecord(info));
    });
}

export function registerRm(program: Command, ctx: CliContext): void {
  program
    .command('rm')
    .summary('delete a queue and its messages')
    .argument('<queue...>', 'queue names')
    .addHelpText('after', '\nExample:\n  mq rm jobs')
    .action(async (queues: string[], _flags: unknown, command: Command) => {
      const { backend } = sessionFor(ctx, command);
      for (const queue of queues) await backend.queues.remove(queue);
    });
}

export function registerPurge(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .summary('delete every message of a queue: visible, delayed and in flight')
    .argument('<queue>', 'queue name')
    .addHelpText('after', '\nExample:\n  mq purge jobs')
    .action(async (queue: string, _flags: unknown, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const progress = new Progress(io, 'purged');
      // Counting first costs a scan, worth it only for a bar someone watches.
      if (out.stderrIsTTY) {
        const stats = await backend.queues.stats(queue);
        progress.setTotal(stats.visible + stats.inFlight + stats.delayed);
      }
      const { purged } = await backend.queues.purge(queue, { onProgress: (removed) => progress.update(removed) });
      progress.done();
      if (out.json) out.record({ name: queue, purged });
      else if (out.stderrIsTTY) out.note(`purged ${purged} messages from ${queue}`);
    });
}
