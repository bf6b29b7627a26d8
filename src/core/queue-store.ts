// The queue contract, in domain words: what any backend (the file store today, NATS JetStream later)
// must do. Behaviour is SQS's; tests/contract/queue-store.contract.ts checks it against every backend.
import type { QueueAttributes } from './queue-attributes.js';
import type {
  AckOutcome, CreateQueueResult, PeekedMessage, PurgeResult, QueueInfo, QueueStats, ReceiveOptions,
  ReceivedMessage, Receipt, RedriveOptions, RedriveResult, SendOptions, SendOutcome, SendRequest,
} from './queue-types.js';

export interface QueueStore {
  // Creates a queue, or returns the existing one when every attribute given matches it (else ALREADY_EXISTS).
  create(name: string, attributes?: Partial<QueueAttributes>): Promise<CreateQueueResult>;
  // Changes attributes of an existing queue (the FIFO type cannot change).
  update(name: string, changes: Partial<QueueAttributes>): Promise<QueueInfo>;
  get(name: string): Promise<QueueInfo>;
  // Every queue, sorted by name; with a prefix, the names starting with it (case-sensitive).
  list(prefix?: string): Promise<QueueInfo[]>;
  remove(name: string): Promise<void>;
  // Removes every message: visible, delayed and in flight. `onProgress` is told how many are gone so far
  // (now and then, for a progress bar on a large queue).
  purge(name: string, options?: { onProgress?: (removed: number) => void }): Promise<PurgeResult>;
  stats(name: string): Promise<QueueStats>;

  // Stores the valid requests and reports each one's outcome in order. With `atomic`, stores nothing
  // unless every request is valid, and throws the first problem instead.
  send(name: string, requests: SendRequest[], options?: SendOptions): Promise<SendOutcome[]>;
  // Receives up to `max` messages; an empty array means none was available within the wait.
  receive(name: string, options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  // Deletes the messages the receipts were issued for; a superseded or expired receipt is RECEIPT_STALE.
  ack(name: string, receipts: Receipt[]): Promise<AckOutcome[]>;
  // Makes an in-flight message visible again `timeoutMs` from now (0: at once). The receipt stays valid;
  // the one returned is equivalent (a backend may make it cheaper to use).
  changeVisibility(name: string, receipt: Receipt, timeoutMs: number): Promise<Receipt>;
  // Looks at messages without receiving them: no receive count, no visibility change.
  peek(name: string, options?: { max?: number }): Promise<PeekedMessage[]>;
  // Moves dead letters back (StartMessageMoveTask), oldest first, as new messages: a new id, send time
  // and receive count. One redrive per dead-letter queue at a time (else LOCKED).
  redrive(deadLetterQueue: string, options?: RedriveOptions): Promise<RedriveResult>;
}
