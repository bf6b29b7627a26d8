// Receiving and settling standard messages: a receive of two, an ack of one and a nack of the other, a
// receive with a short visibility timeout extended by `extend`, and a receive with --delete (at most once).
// No message is lost, torn or doubled. Acks and visibility changes are not fsynced (an undone ack brings
// the message back whole, which at-least-once allows: counted, not a violation); a message printed by
// `receive --delete` never comes back under fsync.
import type { Scenario } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { checkDelivered, drainQueue, printedIds, printedLines } from './queue-checks.js';

const BODIES = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5'];

interface Received {
  id: string;
  body: string;
  receipt?: string;
}

export const queueReceive: Scenario = {
  name: 'queue-receive',
  what: 'mq receive jobs -n 2; mq ack (1st); mq nack (2nd); mq receive jobs --visibility-timeout 10s; mq extend (it) 60s; mq receive jobs --delete',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create', 'jobs', '--durability', durability]);
    const ids = printedIds((await mq(['send', 'jobs', ...BODIES])).stdout);
    const receipt = (runs: { stdout: string }[], index: number, nth: number) => printedLines<Received>(runs[index]!.stdout)[nth]?.receipt ?? 'missing';
    return {
      commands: [
        { args: ['receive', 'jobs', '-n', '2', '--json'] },
        (runs) => ({ args: ['ack', 'jobs', receipt(runs, 0, 0)] }),
        (runs) => ({ args: ['nack', 'jobs', receipt(runs, 0, 1)] }),
        { args: ['receive', 'jobs', '--visibility-timeout', '10s', '--json'] },
        (runs) => ({ args: ['extend', 'jobs', receipt(runs, 3, 0), '60s'] }),
        { args: ['receive', 'jobs', '--delete', '--json'] },
      ],
      async check(state) {
        const acked = state.promised.exited[1] === 0 ? printedLines<Received>(state.runs[0]!.stdout)[0]?.id : undefined;
        const deleted = printedLines<Received>(state.promised.stdout[5]!).map((m) => m.id);
        const drained = await drainQueue(state, 'jobs');
        if (drained === null) return state.violation('queue jobs, created before, is gone');
        const back = new Set(drained.map((m) => m.id));
        if (acked !== undefined && back.has(acked)) state.note('acked message back (acks are not fsynced)');
        for (const id of deleted) {
          if (!back.has(id)) continue;
          if (state.durability === 'fsync') state.violation(`message ${id}, printed by mq receive --delete, came back`);
          else state.note('deleted-on-receipt message back (allowed under none)');
        }
        const mayLack = new Set([...(acked ? [acked] : []), ...deleted]);
        // Sent before the traced commands, so on disk: every one not settled must come back, under none too.
        const taking = state.promised.started[5] && deleted.length === 0 ? 1 : 0;
        checkDelivered(state, 'jobs', drained, new Map(BODIES.map((body, i) => [body, ids[i]!])), { mayLack, strict: true, mayLose: taking });
      },
    };
  },
};
