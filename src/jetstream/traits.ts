// How the JetStream backend differs from the file store (README, "Scale-out: NATS JetStream"). A module
// of its own, without the client, so that the backend chooser can give them without loading JetStream.
import type { BackendTraits } from '../core/backend.js';

export const JETSTREAM_TRAITS: BackendTraits = {
  kind: 'jetstream',
  staleReceiptsRefused: false,
  firstReceiveKept: false,
  fifoBatchesPerGroup: false,
  exactStats: false,
  atomicReceiveVisibility: false,
  arrivalClock: 'server',
  durability: 'server-quorum',
};
