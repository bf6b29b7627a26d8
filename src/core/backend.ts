// A backend bundles the stores of one place where queues and streams live.
import type { QueueStore } from './queue-store.js';
import type { StreamStore } from './stream-store.js';

// Where backends differ in behaviour, as documented (README, "Scale-out: NATS JetStream", the
// differences): the contract suites check the file store's behaviour where a trait says a backend has it,
// and each difference has its own test on the backend that lacks it.
export interface BackendTraits {
  // Which store this is (for messages and docs).
  kind: 'file' | 'jetstream';
  // A receipt of an earlier delivery, or of a delivery whose visibility timeout has passed, is refused
  // (RECEIPT_STALE). JetStream acks and changes visibility by stream sequence: an older receipt still works.
  staleReceiptsRefused: boolean;
  // A redelivery keeps the first delivery's firstReceivedAt. JetStream keeps no per-message state
  // between deliveries: each delivery's firstReceivedAt is its own time.
  firstReceiveKept: boolean;
  // A FIFO receive fills its batch with consecutive messages of one group. JetStream: at most one
  // message per group per receive (one consumer per active group, max_ack_pending 1).
  fifoBatchesPerGroup: boolean;
  // stats counts exactly: a message whose visibility expired (or that was given back) as visible, and
  // gives a receive-count histogram. JetStream counts it in flight until redelivered, and keeps no histogram.
  exactStats: boolean;
  // A receive's own visibility timeout takes effect with the receive. JetStream applies it by a second
  // call (a NAK with a delay): a receiver dying in between leaves the message hidden for the queue's timeout.
  atomicReceiveVisibility: boolean;
  // Whose clock sets a record's arrival time: the putting process's, or the shard leader server's.
  arrivalClock: 'writer' | 'server';
  // What the durability setting means: per queue and stream (fsync or none), or the server's (a write is
  // acknowledged once a quorum of replicas has it; fsync is the server's own setting).
  durability: 'per-store-setting' | 'server-quorum';
}

export const FILE_STORE_TRAITS: BackendTraits = {
  kind: 'file',
  staleReceiptsRefused: true,
  firstReceiveKept: true,
  fifoBatchesPerGroup: true,
  exactStats: true,
  atomicReceiveVisibility: true,
  arrivalClock: 'writer',
  durability: 'per-store-setting',
};

export interface Backend {
  readonly queues: QueueStore;
  readonly streams: StreamStore;
  readonly traits: BackendTraits;
  close(): Promise<void>;
}
