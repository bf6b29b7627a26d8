// Standard queue: producers send (library and `mq send` from stdin), consumers receive, ack, extend,
// give back and abandon messages, all of them killed at random points. Afterwards: every acknowledged
// send was delivered, every body whole, no delivery claimed twice, nothing stored twice or left in flight.
import { openBackend } from '../../../src/index.js';
import { type QueueParams, consume, drainQueue, longestHoldMs, produce } from '../queue-roles.js';
import { defineScenario, countOperations } from '../scenario.js';
import { sleep } from '../support.js';
import {
  checkAtRest, checkDelivered, checkDeliveriesDistinct, checkDrainUnique, checkIntact, collectQueueLogs,
} from '../checks/queue-checks.js';
import { leftoverTemp, restingMessages } from '../checks/store-listing.js';

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
  async recover(env, logs) {
    await sleep(longestHoldMs(env.params as unknown as QueueParams) + 300);
    const q = openBackend({ home: env.home }).queues;
    const before = await q.stats(QUEUE);
    const resting = restingMessages(env.home, QUEUE);
    const queueLogs = collectQueueLogs(logs);
    const drained = await drainQueue(env.home, QUEUE, queueLogs);
    return { before, resting, queueLogs, drained, after: await q.stats(QUEUE), temp: leftoverTemp(env.home, QUEUE) };
  },
  check(logs, r) {
    const { sent, deliveries } = r.queueLogs;
    const violations = [
      ...checkDelivered(sent, deliveries),
      ...checkIntact(deliveries),
      ...checkDeliveriesDistinct(deliveries),
      ...checkDrainUnique(r.drained),
      ...checkAtRest(r.resting),
    ];
    if (r.before.inFlight !== 0) violations.push(`${r.before.inFlight} messages still in flight after their timeouts`);
    if (r.after.visible + r.after.inFlight + r.after.delayed !== 0) violations.push(`the drain left ${JSON.stringify(r.after)}`);
    if (r.after.damaged !== 0) violations.push(`${r.after.damaged} damaged message files`);
    return {
      operations: countOperations(logs, {
        sent: (e) => (e.msgs as unknown[]).length, recv: () => 1, acked: (e) => Number(e.ok) + Number(e.stale), extended: () => 1, nacked: () => 1,
      }),
      checked: sent.length + deliveries.length,
      violations,
      notes: [`${sent.length} sends acknowledged, ${deliveries.length - r.drained.length} deliveries during the run, ${r.drained.length} drained, ${r.temp} staging files left by killed senders`],
    };
  },
});
