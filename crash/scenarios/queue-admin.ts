// Queue administration from an empty directory: the first `mq create` makes the store itself, a send,
// an attribute change, and a second queue created, filled and removed. A queue being created or removed
// is absent or whole (never a queue that cannot be used or created again); once `create` (or `set`)
// returned under fsync it stays, and once `rm` returned the queue stays removed.
import type { Scenario, StateCheck } from './scenario.js';
import { checkDelivered, drainQueue, printedIds, sentMap } from './queue-checks.js';

const DOOMED = ['d-1', 'd-2', 'd-3'];

export const queueAdmin: Scenario = {
  name: 'queue-admin',
  what: 'mq create jobs (new store); mq send jobs first; mq set jobs --visibility-timeout 45s; mq create doomed; mq send doomed < 3 lines; mq rm doomed',
  durabilities: ['fsync', 'none'],
  async prepare(_home, durability) {
    return {
      commands: [
        { args: ['create', 'jobs', '--durability', durability] },
        { args: ['send', 'jobs', 'first'] },
        { args: ['set', 'jobs', '--visibility-timeout', '45s'] },
        { args: ['create', 'doomed', '--durability', durability] },
        { args: ['send', 'doomed'], stdin: DOOMED.map((d) => `${d}\n`).join('') },
        { args: ['rm', 'doomed'] },
      ],
      async check(state) {
        const { exited, started } = state.promised;
        const jobs = await wholeQueue(state, 'jobs', exited[0] === 0);
        if (jobs) {
          const visibility = jobs.visibilityTimeoutMs;
          if (visibility !== 30_000 && visibility !== 45_000) state.violation(`jobs has visibility timeout ${visibility}, neither the old nor the new`);
          if (exited[2] === 0 && visibility !== 45_000) {
            if (state.durability === 'fsync') state.violation('mq set jobs returned under fsync, and the change is gone');
            else state.note('attribute change lost (allowed under none)');
          }
          const drained = await drainQueue(state, 'jobs');
          checkDelivered(state, 'jobs', drained ?? [], sentMap(['first'], printedIds(state.promised.stdout[1]!)));
        }
        const doomed = await wholeQueue(state, 'doomed', exited[3] === 0 && !started[5]);
        if (doomed) {
          if (exited[5] === 0) state.violation('mq rm doomed returned, and doomed came back');
          const drained = await drainQueue(state, 'doomed');
          checkDelivered(state, 'doomed', drained ?? [], sentMap(DOOMED, printedIds(state.promised.stdout[4]!)));
        }
      },
    };
  },
};

// The queue's attributes if it is there and works (stats, send, receive); null if it is absent. `mustExist`:
// its creation had returned (a violation under fsync if it is gone).
async function wholeQueue(state: StateCheck, queue: string, mustExist: boolean): Promise<{ visibilityTimeoutMs: number } | null> {
  const stats = await state.mq(['stats', queue, '--json']);
  if (stats.code === 3) {
    if (mustExist && state.durability === 'fsync') state.violation(`queue ${queue} was created (mq create returned) and is gone`);
    else if (mustExist) state.note('created queue lost (allowed under none)');
    const create = await state.mq(['create', queue]);
    if (create.code !== 0) state.violation(`${queue} is not listed, and mq create ${queue} exits ${create.code}: ${create.stderr.trim()}`);
    return null;
  }
  if (stats.code !== 0) {
    state.violation(`mq stats ${queue} exits ${stats.code}: ${stats.stderr.trim()}`);
    return null;
  }
  const listed = await state.mq(['ls', '--json']);
  if (!listed.stdout.includes(`"name":"${queue}"`)) state.violation(`${queue} has stats but mq ls does not list it`);
  return { visibilityTimeoutMs: (JSON.parse(stats.stdout) as { visibilityTimeoutSeconds: number }).visibilityTimeoutSeconds * 1000 };
}
