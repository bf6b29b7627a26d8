// Every crash-state scenario, in the order they are reported.
import type { Scenario } from './scenario.js';
import { queueSend } from './queue-send.js';

export const SCENARIOS: Scenario[] = [queueSend];
