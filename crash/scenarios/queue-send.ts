// Standard queue sends: a batch of stdin lines (group commit: all files fsynced together, each bucket
// directory once), then a one-shot send of an argument. Every id printed must survive under fsync.
import type { Scenario } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { checkDelivered, drainQueue, printedIds, sentMap } from './queue-checks.js';

const BATCH = ['job-1', 'job-2', 'job-3'];
const SINGLE = 'job-4';

export const queueSend: Scenario = {
  name: 'queue-send',
  what: 'mq send jobs < 3 lines; mq send jobs job-4',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    await mqIn(home)(['create', 'jobs', '--durability', durability]);
    return {
      commands: [{ args: ['send', 'jobs'], stdin: BATCH.map((b) => `${b}\n`).join('') }, { args: ['send', 'jobs', SINGLE] }],
      async check(state) {
        const drained = await drainQueue(state, 'jobs');
        if (drained === null) return state.violation('queue jobs, created before, is gone');
        const sent = new Map([...sentMap(BATCH, printedIds(state.promised.stdout[0]!)), ...sentMap([SINGLE], printedIds(state.promised.stdout[1]!))]);
        checkDelivered(state, 'jobs', drained, sent);
      },
    };
  },
};
