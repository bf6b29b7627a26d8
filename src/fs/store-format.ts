// The format version of a store: `store.json` in its root, `{"version":N}`, written when the store is
// created (and given to a store made before versions existed by the first command that writes to it),
// checked whenever a process opens the store. A store of a newer format than this mq knows is refused,
// naming both versions, rather than misread. A store without the file (none was created yet, or it was
// made before versions) is of version 1: the layout README "On-disk format" describes.
//
// What changes a version: any change a previous mq would misread (a new file-name grammar, a new way of
// locking, a record format); additions an older mq ignores safely do not.
import { MqError } from '../core/errors.js';
import { readFileIfExists, writeFileAtomic } from './fs-util.js';
import type { StoreLayout } from './layout.js';

export const STORE_FORMAT_VERSION = 1;

// The store's version as written, or null when it has no version file.
export function readStoreFormat(store: StoreLayout): number | null {
  const text = readFileIfExists(store.formatFile);
  if (text === null) return null;
  let version: unknown;
  try {
    version = (JSON.parse(text) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new MqError('CORRUPT', `store ${store.root} has an unreadable format version file (${store.formatFile})`);
  }
  return version as number;
}

export function checkStoreFormat(store: StoreLayout): void {
  const version = readStoreFormat(store) ?? 1;
  if (version > STORE_FORMAT_VERSION) {
    throw new MqError(
      'STORE_REFUSED',
      `store ${store.root} has format version ${version}, newer than this mq reads (version ${STORE_FORMAT_VERSION}): use a newer mq`,
    );
  }
}

// Writes the version file of a store that has none (atomically, and durably whatever the durability:
// it is written once per store).
export function writeStoreFormat(store: StoreLayout): void {
  if (readFileIfExists(store.formatFile) !== null) return;
  writeFileAtomic(store.formatFile, `${JSON.stringify({ version: STORE_FORMAT_VERSION })}\n`, { durable: true });
}
