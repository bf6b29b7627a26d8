// What both stores of the file backend work with, and the one way they open a queue or a stream: the
// name checked before any path is built from it, the store found (a read never creates it), the
// directory refused when it is a link planted inside the store, and its config read (NOT_FOUND when
// there is none).
import type { Clock } from '../core/clock.js';
import type { Durability } from '../core/durability.js';
import { MqError } from '../core/errors.js';
import type { StoreLayout } from './layout.js';
import { type StoreRoot, refuseLink } from './store-root.js';

export interface FsEnv {
  store: StoreLayout;
  root: StoreRoot;
  clock: Clock;
  // Overrides every queue's and stream's own durability level (the CLI's MQ_DURABILITY).
  durability?: Durability;
}

// Whether writes are fsynced: the backend's override, else the queue's or stream's own level.
export function isDurable(env: FsEnv, level: Durability): boolean {
  return (env.durability ?? level) === 'fsync';
}

// How to open one kind of thing a store holds (queue-config.ts QUEUES, stream-config.ts STREAMS).
export interface StoreEntity<L extends { dir: string }, C> {
  noun: 'queue' | 'stream';
  notFound: 'QUEUE_NOT_FOUND' | 'STREAM_NOT_FOUND';
  validate(name: string): string;
  layoutOf(store: StoreLayout, name: string): L;
  read(name: string, layout: L): C;
}

// The store must be there for `name` to be (the name is checked first).
export function enterStore(env: FsEnv, entity: StoreEntity<{ dir: string }, unknown>, name: string): void {
  entity.validate(name);
  if (!env.root.exists()) throw new MqError(entity.notFound, `${entity.noun} "${name}" does not exist (no store there)`);
}

export function openEntity<L extends { dir: string }, C>(env: FsEnv, entity: StoreEntity<L, C>, name: string): { layout: L; config: C } {
  enterStore(env, entity, name);
  const layout = entity.layoutOf(env.store, name);
  refuseLink(layout.dir, `${entity.noun} directory`);
  return { layout, config: entity.read(name, layout) };
}
