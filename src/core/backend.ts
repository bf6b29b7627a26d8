// A backend bundles the stores of one place where queues and streams live.
import type { QueueStore } from './queue-store.js';

export interface Backend {
  readonly queues: QueueStore;
  close(): Promise<void>;
}
