// Every crash-state scenario, in the order they are reported.
import type { Scenario } from './scenario.js';
import { fifoSend } from './fifo-send.js';
import { lockTakeover } from './lock-takeover.js';
import { queueAdmin } from './queue-admin.js';
import { queueDlq } from './queue-dlq.js';
import { queueReceive } from './queue-receive.js';
import { queueSend } from './queue-send.js';
import { streamConsume, streamTailGroup } from './stream-groups.js';
import { streamPut } from './stream-put.js';
import { streamReshard } from './stream-reshard.js';
import { streamRetention, streamRoll } from './stream-segments.js';

export const SCENARIOS: Scenario[] = [
  queueSend, fifoSend, queueReceive, queueDlq, queueAdmin, lockTakeover,
  streamPut, streamRoll, streamRetention, streamReshard, streamTailGroup, streamConsume,
];
