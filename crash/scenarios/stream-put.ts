// Stream puts: a batch of stdin lines with partition keys from a JSON field, a batch without keys (spread
// over the shards under the process's random keys), and a one-shot put of an argument with a key. Every
// sequence number printed must read back with its data under fsync; counters never skip or repeat.
import type { Scenario } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { type Placed, checkCounters, checkRecords, readStream } from './stream-checks.js';
import { printedLines } from './queue-checks.js';

const KEYED = ['{"user":1,"n":"k1"}', '{"user":2,"n":"k2"}', '{"user":1,"n":"k3"}'];
const KEYLESS = ['free-1', 'free-2', 'free-3', 'free-4'];
const SINGLE = 'one-shot';

export const streamPut: Scenario = {
  name: 'stream-put',
  what: 'mq put events --key-field user < 3 lines; mq put events < 4 lines; mq put events one-shot -k user-9',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    await mqIn(home)(['create-stream', 'events', '--shards', '2', '--durability', durability]);
    return {
      commands: [
        { args: ['put', 'events', '--key-field', 'user', '--json'], stdin: KEYED.map((l) => `${l}\n`).join('') },
        { args: ['put', 'events', '--json'], stdin: KEYLESS.map((l) => `${l}\n`).join('') },
        { args: ['put', 'events', SINGLE, '--partition-key', 'user-9', '--json'] },
      ],
      async check(state) {
        const records = await readStream(state, 'events');
        if (records === null) return state.violation('stream events, created before, is gone');
        checkRecords(state, 'events', records, sentRecords([KEYED, KEYLESS, [SINGLE]], state.promised.stdout));
        await checkCounters(state, 'events', records);
      },
    };
  },
};

// Each command's records mapped to the placements it had printed, in input order (commands without
// records, such as a split between puts, have none).
export function sentRecords(inputs: string[][], stdout: string[]): Map<string, Placed | undefined> {
  const sent = new Map<string, Placed | undefined>();
  inputs.forEach((lines, command) => {
    if (lines.length === 0) return;
    const printed = printedLines<Placed>(stdout[command] ?? '');
    lines.forEach((line, i) => sent.set(line, printed[i]));
  });
  return sent;
}
