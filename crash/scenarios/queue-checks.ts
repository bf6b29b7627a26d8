// Recovery and checks shared by the queue scenarios: drain a queue as a consumer would after the power
// comes back (a day later, so every visibility timeout and delay is past), and hold what comes out
// against what the traced commands had printed.
import type { StateCheck } from './scenario.js';
import { jsonLines } from '../run/recover.js';

export interface Drained {
  id: string;
  body: string;
  receiveCount: number;
  group?: string;
  sequence?: string;
  deadLetterSource?: string;
}

// Later than any visibility timeout (at most 12 h) and delay, earlier than any retention (at least 60 s,
// 4 days by default: the scenarios keep the default).
export const RECOVERY_LATER_MS = 13 * 3600_000;

// Every message of `queue`, received and acked until none is left; null when the queue does not exist.
// `laterMs`: how far ahead of now the receives run (FIFO checks drain now, to probe deduplication after).
export async function drainQueue(state: StateCheck, queue: string, laterMs = RECOVERY_LATER_MS): Promise<Drained[] | null> {
  const stats = await state.mq(['stats', queue, '--json']);
  if (stats.code === 3) return null;
  if (stats.code !== 0) {
    state.violation(`mq stats ${queue} exits ${stats.code}: ${stats.stderr.trim()}`);
    return [];
  }
  const drained: Drained[] = [];
  for (let round = 0; round < 100; round++) {
    const received = await state.mq(['receive', queue, '-n', '1000', '--json'], { laterMs });
    if (received.code !== 0) {
      state.violation(`mq receive ${queue} exits ${received.code}: ${received.stderr.trim()}`);
      return drained;
    }
    const messages = jsonLines<Drained & { receipt: string }>(received);
    if (messages.length === 0) {
      await checkDamaged(state, queue);
      return drained;
    }
    drained.push(...messages.map(({ receipt: _receipt, ...message }) => message));
    const acked = await state.mq(['ack', queue], { stdin: messages.map((m) => m.receipt).join('\n'), laterMs });
    if (acked.code !== 0) state.violation(`mq ack ${queue} exits ${acked.code}: ${acked.stderr.trim()}`);
  }
  state.violation(`${queue} still delivers messages after 100 rounds`);
  return drained;
}

// Message files that could not be decoded (empty or torn: set aside by receives, never delivered) may
// come back only under none.
async function checkDamaged(state: StateCheck, queue: string): Promise<void> {
  const stats = await state.mq(['stats', queue, '--json']);
  const damaged = stats.code === 0 ? (JSON.parse(stats.stdout) as { damaged?: number }).damaged ?? 0 : 0;
  if (damaged === 0) return;
  if (state.durability === 'fsync') state.violation(`${damaged} damaged message file(s) in ${queue} under fsync`);
  else state.note('damaged file set aside');
}

// The ids a send printed (one per line, complete lines only: a cut inside a write leaves a partial one).
export function printedIds(stdout: string): string[] {
  const lines = stdout.split('\n');
  lines.pop();
  return lines.filter((line) => line !== '');
}

// The JSON lines a command printed (--json), complete lines only.
export function printedLines<T>(stdout: string): T[] {
  return printedIds(stdout).map((line) => JSON.parse(line) as T);
}

// Holds drained messages against what was sent: `sent` maps each body sent to the id printed for it
// (undefined while not printed). Nothing unknown, torn or duplicated; under fsync every printed id there.
// `strict`: the messages were on disk before the cut, so one missing is a violation under none too.
// `mayLose`: how many may be missing all the same (taken by an at-most-once receive that had not printed yet).
export function checkDelivered(state: StateCheck, queue: string, drained: Drained[], sent: Map<string, string | undefined>, options: { mayLack?: Set<string>; strict?: boolean; mayLose?: number } = {}): void {
  let mayLose = options.mayLose ?? 0;
  const seenIds = new Set<string>();
  const seenBodies = new Set<string>();
  for (const message of drained) {
    if (seenIds.has(message.id)) state.violation(`${queue}: message ${message.id} delivered twice`);
    seenIds.add(message.id);
    if (!sent.has(message.body)) {
      state.violation(`${queue}: a body nobody sent (torn?): ${JSON.stringify(message.body.slice(0, 80))}`);
      continue;
    }
    if (seenBodies.has(message.body)) state.violation(`${queue}: body ${JSON.stringify(message.body)} delivered twice`);
    seenBodies.add(message.body);
    const printed = sent.get(message.body);
    if (printed !== undefined && printed !== message.id) state.violation(`${queue}: body ${JSON.stringify(message.body)} came back as ${message.id}, but ${printed} was printed for it`);
  }
  for (const [body, id] of sent) {
    if (id === undefined || seenIds.has(id) || options.mayLack?.has(id)) continue;
    if (mayLose > 0) {
      mayLose--;
      state.note('taken by an at-most-once receive that had not printed it');
      continue;
    }
    if (state.durability === 'fsync' || options.strict) state.violation(`${queue}: message ${id} (${JSON.stringify(body)}) was printed by mq send and is gone`);
    else state.note('printed message lost (allowed under none)');
  }
}

// Bodies of a send's stdin mapped to the ids printed before the cut, in order.
export function sentMap(bodies: string[], printed: string[]): Map<string, string | undefined> {
  return new Map(bodies.map((body, i) => [body, printed[i]]));
}
