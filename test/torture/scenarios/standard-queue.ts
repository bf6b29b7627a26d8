// Standard queue: producers send (library and `mq send` from stdin), consumers receive, ack, extend,
// give back and abandon messages, all of them killed at random points. Afterwards: every acknowledged
// send was delivered, every body whole, no delivery claimed twice, nothing stored twice or left in flight.
import { openBackend } from '../../../src/index.js';
import { type QueueParams, consume, produce } from '../queue-roles.js';
import { QUEUE_OPERATIONS, checkQueuesRecovered, recoverQueues } from '../queue-recovery.js';
import { defineScenario, countOperations } from '../scenario.js';

const QUEUE = 'jobs';

export const scenario = defineScenario({
  name: 'standard-queue',
  description: 'standard queue: send, receive, ack, extend, nack under SIGKILL',
  roles: [
    { name: 'producer', slots: 2, kills: ['send'] },
    { name: 'consumer', slots: 3, kills: ['receive', 'ack', 'extend', 'nack'] },
  ],
  async setup(env) {
    const params: QueueParams = { visibilityMs: [300, 1500], extendMs: [500, 2000] };
    env.params = { ...params };
    await openBackend({ home: env.home }).queues.create(QUEUE, { durability: env.rng.pick(['fsync', 'none'] as const) });
  },
  async work(role, w) {
    if (role === 'producer') await produce(w, QUEUE);
    else await consume(w, QUEUE, { ack: 70, extend: 12, nack: 12, abandon: 6 });
  },
  recover: (env, logs) => recoverQueues(env, logs, [QUEUE]),
  check(logs, r) {
    const { sent, deliveries } = r.queueLogs;
    const violations = checkQueuesRecovered(r);
    return {
      operations: countOperations(logs, QUEUE_OPERATIONS),
      checked: sent.length + deliveries.length,
      violations,
      notes: [`${sent.length} sends acknowledged, ${deliveries.length - r.drained.length} deliveries during the run, ${r.drained.length} drained, ${r.temp} staging files left by killed senders`],
    };
  },
});
