// FIFO sends under the queue lock: the queue's first send, a batch (it makes the sequence counter, the
// dedup window and the group; group commit), a send that makes another group, one into an existing group,
// and a repeat of a message already sent (deduplicated).
// Printed messages survive under fsync, each group comes out in send order, a sequence number is never
// given twice, and a repeat of a printed message within 5 minutes is refused as a duplicate.
import type { Scenario, StateCheck } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { type Drained, checkDelivered, drainQueue, printedLines } from './queue-checks.js';

const QUEUE = 'orders.fifo';
const BATCH = ['a-1', 'a-2', 'a-3'];

interface Sent {
  id: string;
  sequence: string;
  duplicate?: boolean;
}

export const fifoSend: Scenario = {
  name: 'fifo-send',
  what: 'mq send orders.fifo --group a < 3 lines; mq send orders.fifo --group b b-1; ... --group a a-4; ... --group a a-1 (a duplicate)',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    await mqIn(home)(['create', QUEUE, '--content-dedup', '--durability', durability]);
    return {
      commands: [
        { args: ['send', QUEUE, '--group', 'a', '--json'], stdin: BATCH.map((b) => `${b}\n`).join('') },
        { args: ['send', QUEUE, '--group', 'b', 'b-1', '--json'] },
        { args: ['send', QUEUE, '--group', 'a', 'a-4', '--json'] },
        { args: ['send', QUEUE, '--group', 'a', 'a-1', '--json'] },
      ],
      async check(state) {
        const printed = state.promised.stdout.map((out) => printedLines<Sent>(out));
        const sent = new Map<string, string | undefined>();
        BATCH.forEach((body, i) => sent.set(body, printed[0]![i]?.id));
        sent.set('b-1', printed[1]![0]?.id);
        sent.set('a-4', printed[2]![0]?.id);
        const repeat = printed[3]![0];
        if (repeat && (!repeat.duplicate || (sent.get('a-1') !== undefined && repeat.id !== sent.get('a-1')))) state.violation(`the repeat of a-1 was not refused as a duplicate of it: ${JSON.stringify(repeat)}`);
        const drained = await drainQueue(state, QUEUE, 0);
        if (drained === null) return state.violation(`${QUEUE}, created before, is gone`);
        checkDelivered(state, QUEUE, drained, sent);
        checkGroupOrder(state, drained, { a: [...BATCH, 'a-4'], b: ['b-1'] });
        const sequences = [...drained.map((m) => m.sequence!), ...printed.flat().filter((p) => !p.duplicate).map((p) => p.sequence)];
        await checkAfterRecovery(state, sent, sequences);
      },
    };
  },
};

// Within each group, messages come out in the order they were sent (missing ones aside), with rising sequence numbers.
export function checkGroupOrder(state: StateCheck, drained: Drained[], order: Record<string, string[]>): void {
  for (const [group, bodies] of Object.entries(order)) {
    const out = drained.filter((m) => m.group === group);
    const ranks = out.map((m) => bodies.indexOf(m.body));
    if (ranks.some((rank, i) => i > 0 && rank < ranks[i - 1]!)) state.violation(`group ${group} came out as ${out.map((m) => m.body).join(', ')}: not in send order`);
    if (out.some((m, i) => i > 0 && m.sequence! <= out[i - 1]!.sequence!)) state.violation(`group ${group}: sequence numbers not rising`);
  }
}

// After recovery: every printed message, sent again, is a duplicate of itself (fsync; under none at most
// one duplicate gets in); a new message gets a sequence number above every one given before.
async function checkAfterRecovery(state: StateCheck, sent: Map<string, string | undefined>, sequences: string[]): Promise<void> {
  for (const [body, id] of sent) {
    if (id === undefined) continue;
    const again = printedLines<Sent>((await state.mq(['send', QUEUE, '--group', body.slice(0, 1), body, '--json'])).stdout)[0];
    if (again?.duplicate && again.id === id) continue;
    if (state.durability === 'fsync') state.violation(`${body} (${id}) sent again after recovery was not refused as a duplicate: ${JSON.stringify(again)}`);
    else state.note('dedup entry lost (allowed under none)');
  }
  const fresh = printedLines<Sent>((await state.mq(['send', QUEUE, '--group', 'a', 'after-recovery', '--json'])).stdout)[0];
  const highest = sequences.reduce((max, s) => (s > max ? s : max), '');
  if (!fresh || fresh.sequence <= highest) state.violation(`a send after recovery got sequence ${fresh?.sequence}, not above ${highest} given before`);
}
