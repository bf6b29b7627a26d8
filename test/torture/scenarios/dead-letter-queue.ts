// Standard queue with a dead-letter queue: consumers fail often (give back or abandon), so messages move
// to the dead-letter queue on their third receive, while a redriver keeps moving them back; every process
// is killed at random points. Afterwards: every acknowledged send delivered (in either queue), every body
// whole, and no message in both queues or twice in one.
import { openBackend } from '../../../src/index.js';
import { isMqError } from '../../../src/core/errors.js';
import { type QueueParams, consume, drainQueue, longestHoldMs, produce } from '../queue-roles.js';
import { defineScenario, countOperations } from '../scenario.js';
import { sleep } from '../support.js';
import {
  checkAtRest, checkDelivered, checkDeliveriesDistinct, checkDrainUnique, checkIntact, collectQueueLogs,
} from '../checks/queue-checks.js';
import { restingMessages } from '../checks/store-listing.js';

const QUEUE = 'work';
const DEAD = 'work-dead';
const MAX_RECEIVES = 2;

export const scenario = defineScenario({
  name: 'dead-letter-queue',
  description: 'standard queue with a dead-letter queue: receive, nack, dead-lettering and redrive under SIGKILL',
  roles: [
    { name: 'producer', slots: 1, kills: ['send'] },
    { name: 'consumer', slots: 3, kills: ['receive', 'ack', 'nack', 'extend'] },
    { name: 'redriver', slots: 1, kills: ['redrive'] },
  ],
  async setup(env) {
    const params: QueueParams = { visibilityMs: [200, 800], extendMs: [300, 1000] };
    env.params = { ...params };
    const q = openBackend({ home: env.home }).queues;
    const durability = env.rng.pick(['fsync', 'none'] as const);
    await q.create(DEAD, { durability });
    await q.create(QUEUE, { durability, deadLetter: { queue: DEAD, maxReceives: MAX_RECEIVES } });
  },
  async work(role, w) {
    if (role === 'producer') await produce(w, QUEUE);
    else if (role === 'consumer') await consume(w, QUEUE, { ack: 40, extend: 5, nack: 40, abandon: 15 });
    else await redrive(w);
  },
  async recover(env, logs) {
    await sleep(longestHoldMs(env.params as unknown as QueueParams) + 300);
    const q = openBackend({ home: env.home }).queues;
    const before = [await q.stats(QUEUE), await q.stats(DEAD)];
    const resting = [...restingMessages(env.home, QUEUE), ...restingMessages(env.home, DEAD)];
    const queueLogs = collectQueueLogs(logs);
    // Draining the queue first moves what was received too often to the dead-letter queue; then drain that.
    const drained = [...await drainQueue(env.home, QUEUE, queueLogs), ...await drainQueue(env.home, DEAD, queueLogs)];
    return { before, resting, queueLogs, drained, after: [await q.stats(QUEUE), await q.stats(DEAD)] };
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
    for (const stats of r.before) if (stats.inFlight !== 0) violations.push(`${stats.inFlight} messages of ${stats.name} still in flight after their timeouts`);
    for (const stats of r.after) {
      if (stats.visible + stats.inFlight + stats.delayed !== 0) violations.push(`the drain left ${JSON.stringify(stats)}`);
      if (stats.damaged !== 0) violations.push(`${stats.damaged} damaged message files in ${stats.name}`);
    }
    // A dead letter was received MAX_RECEIVES times before it moved, and says where it came from.
    const early = deliveries.filter((d) => d.queue === DEAD && (d.n - 1 < MAX_RECEIVES || d.deadLetterSource !== QUEUE));
    if (early.length > 0) violations.push(`${early.length} dead letters moved before ${MAX_RECEIVES} receives or without their source, e.g. ${JSON.stringify(early[0])}`);
    const moved = logs.flatMap((l) => l.entries).filter((e) => e.t === 'redrove').reduce((n, e) => n + Number(e.moved), 0);
    const deadDrained = r.drained.filter((d) => d.queue === DEAD).length;
    return {
      operations: countOperations(logs, {
        sent: (e) => (e.msgs as unknown[]).length, recv: () => 1, acked: (e) => Number(e.ok) + Number(e.stale), extended: () => 1, nacked: () => 1,
        redrove: () => 1,
      }),
      checked: sent.length + deliveries.length,
      violations,
      notes: [`${sent.length} sends acknowledged, ${moved} messages redriven by redrives that returned, ${deadDrained} dead letters drained at the end`],
    };
  },
});

// Moves dead letters back now and then, at a random rate, some of it at a time.
async function redrive(w: Parameters<typeof scenario.work>[1]): Promise<void> {
  const q = openBackend({ home: w.home }).queues;
  while (w.more()) {
    await sleep(w.rng.int(0, 300));
    try {
      const result = await w.op('redrive', () => q.redrive(DEAD, { ratePerSecond: w.rng.int(100, 5000), ...(w.rng.chance(0.5) ? { max: w.rng.int(1, 200) } : {}) }));
      w.log({ t: 'redrove', moved: result.moved, skipped: result.skipped.length });
    } catch (error) {
      // Another redrive holds the lock (a predecessor killed a moment ago is taken over at once).
      if (!isMqError(error, 'LOCKED')) throw error;
      w.log({ t: 'locked' });
    }
  }
}
