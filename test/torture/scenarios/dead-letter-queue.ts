// Standard queue with a dead-letter queue: consumers fail often (give back or abandon), so messages move
// to the dead-letter queue on their third receive, while a redriver keeps moving them back; every process
// is killed at random points. Afterwards: every acknowledged send delivered (in either queue), every body
// whole, and no message in both queues or twice in one.
import { openBackend } from '../../../src/index.js';
import { isMqError } from '../../../src/core/errors.js';
import { type QueueParams, consume, produce } from '../queue-roles.js';
import { QUEUE_OPERATIONS, checkQueuesRecovered, recoverQueues } from '../queue-recovery.js';
import { defineScenario, countOperations } from '../scenario.js';
import { sleep } from '../support.js';

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
  // Draining the queue first moves what was received too often to the dead-letter queue; then drain that.
  recover: (env, logs) => recoverQueues(env, logs, [QUEUE, DEAD]),
  check(logs, r) {
    const { sent, deliveries } = r.queueLogs;
    const violations = checkQueuesRecovered(r);
    // A dead letter was received MAX_RECEIVES times before it moved, and says where it came from.
    const early = deliveries.filter((d) => d.queue === DEAD && (d.n - 1 < MAX_RECEIVES || d.deadLetterSource !== QUEUE));
    if (early.length > 0) violations.push(`${early.length} dead letters moved before ${MAX_RECEIVES} receives or without their source, e.g. ${JSON.stringify(early[0])}`);
    const moved = logs.flatMap((l) => l.entries).filter((e) => e.t === 'redrove').reduce((n, e) => n + Number(e.moved), 0);
    const deadDrained = r.drained.filter((d) => d.queue === DEAD).length;
    return {
      operations: countOperations(logs, { ...QUEUE_OPERATIONS, redrove: () => 1 }),
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
