// Recovery and the common checks of the queue scenarios: wait out the longest visibility hold, list the
// message files at rest, drain every queue in order (a source before its dead-letter queue, since draining
// the source moves what was received too often), and check what every queue scenario promises.
import { openBackend } from '../../src/index.js';
import type { QueueStats } from '../../src/core/queue-types.js';
import { type QueueParams, drainQueue, longestHoldMs } from './queue-roles.js';
import type { Entry, HarnessEnv, WorkerLog } from './scenario.js';
import { sleep } from './support.js';
import {
  type Delivery, type QueueLogs, type RestingMessage, checkAtRest, checkDelivered, checkDeliveriesDistinct, checkDrainUnique,
  checkIntact, collectQueueLogs,
} from './checks/queue-checks.js';
import { leftoverTemp, restingMessages } from './checks/store-listing.js';

export interface QueueRecovery {
  before: QueueStats[];
  resting: RestingMessage[];
  queueLogs: QueueLogs;
  drained: Delivery[];
  after: QueueStats[];
  // Staging files left by killed senders, in all the queues.
  temp: number;
}

export async function recoverQueues(env: HarnessEnv, logs: WorkerLog[], queues: string[]): Promise<QueueRecovery> {
  await sleep(longestHoldMs(env.params as unknown as QueueParams) + 300);
  const q = openBackend({ home: env.home }).queues;
  const statsOfAll = () => Promise.all(queues.map((queue) => q.stats(queue)));
  const before = await statsOfAll();
  const resting = queues.flatMap((queue) => restingMessages(env.home, queue));
  const queueLogs = collectQueueLogs(logs);
  const drained: Delivery[] = [];
  for (const queue of queues) drained.push(...await drainQueue(env.home, queue, queueLogs));
  const temp = queues.reduce((n, queue) => n + leftoverTemp(env.home, queue), 0);
  return { before, resting, queueLogs, drained, after: await statsOfAll(), temp };
}

// Everything acknowledged delivered, whole, no delivery twice, nothing stored twice or left in flight, and
// every queue empty and undamaged after the drain.
export function checkQueuesRecovered(r: QueueRecovery): string[] {
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
  return violations;
}

// How the queue scenarios count operations in their logs.
export const QUEUE_OPERATIONS: Record<string, (entry: Entry) => number> = {
  sent: (e) => (e.msgs as unknown[]).length,
  recv: () => 1,
  acked: (e) => Number(e.ok) + Number(e.stale),
  extended: () => 1,
  nacked: () => 1,
};
