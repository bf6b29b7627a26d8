// The one module that knows every backend: it turns options into a Backend. A store directory opens the
// file store; a URL opens the engine its scheme names (ENGINES). Opening is synchronous and cheap: an
// engine's opener returns at once and loads its code on first use (core/deferred-backend.ts), so a
// command on the file store never loads another backend's code.
import type { Backend } from './core/backend.js';
import { parseBackendUrl } from './core/backend-url.js';
import type { Clock } from './core/clock.js';
import type { Durability } from './core/durability.js';
import { invalidArgument } from './core/errors.js';
import { createFsBackend } from './fs/fs-backend.js';
import { parseNatsUrl } from './jetstream/nats-url.js';
import { JetStreamNames } from './jetstream/names.js';
import { JETSTREAM_TRAITS } from './jetstream/traits.js';
import { deferredBackend } from './core/deferred-backend.js';

// What every backend takes.
export interface CommonBackendOptions {
  // Overrides the durability level of every queue and stream for this backend (core/durability.ts: each
  // backend keeps the levels by its own means).
  durability?: Durability;
  clock?: Clock;
}

// The file store: queues and streams as files under one directory, shared by the processes of one machine.
export interface FileStoreOptions extends CommonBackendOptions {
  // The store directory.
  home: string;
  // Use a store on a network file system (NFS, SMB, FUSE...) anyway; refused by default.
  allowNetworkFileSystem?: boolean;
  url?: never;
}

// Another engine, reached by URL (for example nats://h1:4222,h2:4222).
export interface EngineOptions extends CommonBackendOptions {
  url: string;
  // Prefixes every name this backend makes on the engine, so several mq installations can share it.
  namespace?: string;
  // How long a request may wait for the engine (no leader, a node down) before UNAVAILABLE (default 30 s).
  timeoutMs?: number;
  home?: never;
}

export type OpenBackendOptions = FileStoreOptions | EngineOptions;

// Opens the backend of an engine URL. It must return at once: deferredBackend loads the engine's code
// (and connects) on first use.
export type EngineOpener = (options: EngineOptions) => Backend;

// NATS JetStream (src/jetstream): the URL and namespace are checked at once, the code (with the NATS
// client) loads on first use. In the CLI's bundle this import is the separate bundle dist/mq-jetstream.cjs
// (scripts/build.js), so a command on the file store never reads it.
const openJetStream: EngineOpener = (options) => {
  parseNatsUrl(options.url);
  if (options.namespace !== undefined) new JetStreamNames(options.namespace);
  return deferredBackend(JETSTREAM_TRAITS, async () => {
    const { createJetStreamBackend } = await import('./jetstream/jetstream-backend.js');
    return createJetStreamBackend({
      url: options.url,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timeoutMs !== undefined ? { unavailableAfterMs: options.timeoutMs } : {}),
    });
  });
};

// The engines by URL scheme.
const ENGINES: Readonly<Record<string, EngineOpener>> = { nats: openJetStream, tls: openJetStream };

export function isEngineOptions(options: OpenBackendOptions): options is EngineOptions {
  return options.url !== undefined;
}

export function openBackend(options: OpenBackendOptions): Backend {
  if (options.url !== undefined && options.home !== undefined) {
    throw invalidArgument('give a store directory (home) or an engine URL (url), not both');
  }
  if (!isEngineOptions(options)) {
    if (typeof options.home !== 'string') throw invalidArgument('give a store directory (home) or an engine URL (url)');
    return createFsBackend(options);
  }
  const { scheme } = parseBackendUrl(options.url);
  const open = Object.hasOwn(ENGINES, scheme) ? ENGINES[scheme] : undefined;
  if (!open) throw invalidArgument(`no backend for ${scheme}:// URLs yet: open a store directory (home) instead`);
  return open(options);
}

// Files of secrets (the keys `mq serve` checks signatures with) are read by the file-system code too.
export { readSecretFile } from './fs/secret-file.js';
