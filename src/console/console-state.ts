// What the console's routes share for the life of the server.
import type { Backend } from '../core/backend.js';
import type { Clock } from '../core/clock.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import type { LiveConnections } from './live.js';
import type { RedriveTasks } from './redrive-tasks.js';
import type { OverviewSampler } from './sampler.js';

export interface ConsoleState {
  backend: Backend;
  clock: Clock;
  sampler: OverviewSampler;
  redrives: RedriveTasks;
  requests: RequestMetrics;
  live: LiveConnections;
  readOnly: boolean;
}
