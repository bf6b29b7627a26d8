// Lock takeover: a FIFO queue whose lock and whose group's claim token were left by a process that is
// gone. A send takes the queue lock over (the stale link renamed aside, checked, removed, a new one made),
// a receive takes the claim token over. After any power cut the locks are taken over again, nothing the
// send printed is lost, and the queue works.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Scenario } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { checkDelivered, drainQueue, printedLines } from './queue-checks.js';

const QUEUE = 'orders.fifo';

// The lock token of a process that has exited (its pid is free, unless reused within the run).
function deadToken(): string {
  const { pid } = spawnSync('true');
  const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim().replace(/-/g, '');
  return `${pid} 1 0123456789abcdef ${boot}`;
}

export const lockTakeover: Scenario = {
  name: 'lock-takeover',
  what: 'a dead holder\'s queue lock and claim token; mq send orders.fifo --group a a-2 (takes the lock over); mq receive orders.fifo (takes the token over)',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create', QUEUE, '--durability', durability]);
    const [first] = printedLines<{ id: string }>((await mq(['send', QUEUE, '--group', 'a', '--dedup-id', 'a-1', 'a-1', '--json'])).stdout);
    const queueDir = path.join(home, 'queues', QUEUE);
    fs.symlinkSync(deadToken(), path.join(queueDir, 'lock'));
    const [group] = fs.readdirSync(path.join(queueDir, 'groups'));
    fs.symlinkSync(deadToken(), path.join(queueDir, 'groups', group!, 'claim'));
    return {
      commands: [
        { args: ['send', QUEUE, '--group', 'a', '--dedup-id', 'a-2', 'a-2', '--json'] },
        { args: ['receive', QUEUE, '--json'] },
      ],
      async check(state) {
        const sent = new Map<string, string | undefined>([['a-1', first!.id], ['a-2', printedLines<{ id: string }>(state.promised.stdout[0]!)[0]?.id]]);
        // The queue works again: a send (which needs the queue lock), then every message out (claim tokens).
        const more = await state.mq(['send', QUEUE, '--group', 'a', '--dedup-id', 'a-3', 'a-3', '--json']);
        if (more.code !== 0) state.violation(`a send after recovery exits ${more.code}: ${more.stderr.trim()}`);
        sent.set('a-3', printedLines<{ id: string }>(more.stdout)[0]?.id);
        const drained = await drainQueue(state, QUEUE);
        if (drained === null) return state.violation(`${QUEUE}, created before, is gone`);
        checkDelivered(state, QUEUE, drained, sent);
        if (!drained.some((m) => m.body === 'a-1')) state.violation('a-1, sent before the run, is gone');
      },
    };
  },
};
