// FIFO queue: producers send to a few groups (long backlogs), retrying a batch their killed predecessor
// left unacknowledged with the same dedup ids; consumers ack a prefix of each batch and give back, extend
// or abandon the rest; all killed at random points. Afterwards: everything acknowledged delivered, whole,
// once per dedup id, and no message of a group delivered before every earlier one was acked.
import { openBackend } from '../../../src/index.js';
import { type QueueParams, bodyOf, consume, produce } from '../queue-roles.js';
import { QUEUE_OPERATIONS, checkQueuesRecovered, recoverQueues } from '../queue-recovery.js';
import { defineScenario, countOperations } from '../scenario.js';
import { checkDedup, checkFifoOrder, checkProducerOrder } from '../checks/queue-checks.js';

const QUEUE = 'orders.fifo';
const GROUPS = ['g0', 'g1', 'g2', 'g/3'];

export const scenario = defineScenario({
  name: 'fifo-queue',
  description: 'FIFO queue: send (with retries), receive, ack, extend, nack under SIGKILL',
  roles: [
    { name: 'producer', slots: 2, kills: ['send'] },
    { name: 'consumer', slots: 3, kills: ['receive', 'ack', 'extend', 'nack'] },
  ],
  async setup(env) {
    const params: QueueParams = { visibilityMs: [300, 1500], extendMs: [500, 2000] };
    env.params = { ...params };
    const q = openBackend({ home: env.home }).queues;
    await q.create(QUEUE, { durability: env.rng.pick(['fsync', 'none'] as const) });
    // MQ_TORTURE_FIFO_BACKLOG=N starts group g0 with N messages waiting (a long group).
    const backlog = Number(process.env.MQ_TORTURE_FIFO_BACKLOG ?? 0);
    for (let start = 0; start < backlog; start += 500) {
      const tags = Array.from({ length: Math.min(500, backlog - start) }, (_, i) => `setup.${start + i}`);
      const outcomes = await q.send(QUEUE, tags.map((tag) => ({ body: bodyOf(tag), group: 'g0', dedupId: tag })));
      env.log({ t: 'sent', msgs: outcomes.map((o, i) => (o.ok ? { id: o.id, tag: tags[i], group: 'g0', seq: o.sequence, dedupId: tags[i] } : null)) });
    }
  },
  async work(role, w) {
    if (role === 'producer') await produce(w, QUEUE, GROUPS);
    else await consume(w, QUEUE, { ack: 70, extend: 12, nack: 12, abandon: 6 });
  },
  recover: (env, logs) => recoverQueues(env, logs, [QUEUE]),
  check(logs, r) {
    const { sent, deliveries, batches, acking } = r.queueLogs;
    const known = [
      ...sent.map((m) => ({ id: m.id, group: m.group!, seq: m.seq!, queue: QUEUE })),
      ...deliveries.map((d) => ({ id: d.id, group: d.group!, seq: d.seq!, queue: QUEUE })),
    ];
    const violations = [
      ...checkQueuesRecovered(r),
      ...checkFifoOrder(batches, acking, known),
      ...checkProducerOrder(sent),
      ...checkDedup(sent, deliveries),
    ];
    const retried = logs.flatMap((l) => l.entries).filter((e) => e.t === 'retry').reduce((n, e) => n + Number(e.count), 0);
    return {
      operations: countOperations(logs, QUEUE_OPERATIONS),
      checked: sent.length + deliveries.length,
      violations,
      notes: [`${sent.length} sends acknowledged (${retried} retried after a kill), ${batches.length} batches, ${r.drained.length} drained, ${r.temp} staging files left by killed senders`],
    };
  },
});
