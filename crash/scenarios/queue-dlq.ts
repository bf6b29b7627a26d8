// Dead-lettering and redrive: three messages received once each (their visibility timeout over at once),
// then a receive that moves them to the dead-letter queue (max receives 1), then `mq redrive` that moves
// them back as new messages. Each move is one rename: after any power cut every message is in exactly
// one of the two queues, whole, under none too (they were on disk before the moves).
import type { Scenario } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { drainQueue } from './queue-checks.js';

const BODIES = ['j-1', 'j-2', 'j-3'];

export const queueDlq: Scenario = {
  name: 'queue-dlq',
  what: 'mq receive jobs (3 moved to jobs-dead after max receives 1); mq redrive jobs-dead',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create', 'jobs-dead', '--durability', durability]);
    await mq(['create', 'jobs', '--dlq', 'jobs-dead', '--max-receives', '1', '--durability', durability]);
    await mq(['send', 'jobs', ...BODIES]);
    await mq(['receive', 'jobs', '-n', '10', '--visibility-timeout', '0s']);
    return {
      commands: [{ args: ['receive', 'jobs', '-n', '10', '--json'] }, { args: ['redrive', 'jobs-dead', '--json'] }],
      async check(state) {
        if (state.promised.stdout[0] !== '') state.violation(`the receive delivered messages received max-receives times already: ${state.promised.stdout[0]}`);
        // jobs first: what a power cut left there with its receive count is moved to jobs-dead by the drain.
        const jobs = await drainQueue(state, 'jobs');
        const dead = await drainQueue(state, 'jobs-dead');
        if (jobs === null || dead === null) return state.violation('a queue created before is gone');
        const out = [...jobs, ...dead];
        for (const body of BODIES) {
          const copies = out.filter((m) => m.body === body).length;
          if (copies !== 1) state.violation(`${body} came out ${copies} times from jobs and jobs-dead together`);
        }
        for (const message of out) if (!BODIES.includes(message.body)) state.violation(`a body nobody sent (torn?): ${JSON.stringify(message.body)}`);
        for (const message of dead) if (message.deadLetterSource !== 'jobs') state.violation(`${message.body} in jobs-dead has source ${message.deadLetterSource}`);
      },
    };
  },
};
