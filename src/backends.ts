// The one module that knows every backend: it turns options into a Backend. Only the file-system
// backend exists today; a NATS JetStream one would be chosen here (for example by a URL).
import type { Backend } from './core/backend.js';
import type { Clock } from './core/clock.js';
import type { Durability } from './core/queue-attributes.js';
import { createFsBackend } from './fs/fs-backend.js';

export interface OpenBackendOptions {
  // The store directory.
  home: string;
  // Overrides the durability setting of every queue for this backend.
  durability?: Durability;
  clock?: Clock;
  // Use a store on a network file system (NFS, SMB, FUSE...) anyway; refused by default.
  allowNetworkFileSystem?: boolean;
}

export function openBackend(options: OpenBackendOptions): Backend {
  return createFsBackend(options);
}

// Files of secrets (the keys `mq serve` checks signatures with) are read by the file-system code too.
export { readSecretFile } from './fs/secret-file.js';
