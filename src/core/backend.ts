// A backend bundles the stores of one place where queues and streams live.
import type { QueueStore } from './queue-store.js';
import type { StreamStore } from './stream-store.js';

export interface Backend {
  readonly queues: QueueStore;
  readonly streams: StreamStore;
  close(): Promise<void>;
}
