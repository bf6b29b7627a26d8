// Every crash-state scenario, in the order they are reported.
import type { Scenario } from './scenario.js';
import { fifoSend } from './fifo-send.js';
import { queueAdmin } from './queue-admin.js';
import { queueReceive } from './queue-receive.js';
import { queueSend } from './queue-send.js';
import { streamPut } from './stream-put.js';

export const SCENARIOS: Scenario[] = [queueSend, fifoSend, queueReceive, queueAdmin, streamPut];
