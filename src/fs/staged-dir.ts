// Creating a queue or stream directory whole: it is built under a dot name beside its final place
// (listings skip dot names), made durable before it is published, whatever the durability (a queue or
// stream is absent or whole after a power cut, never without its config or a directory), then renamed
// into place in one step, so no process ever sees half of it. Losing the rename to another creator is
// an answer, not an error: the name is taken.
import fs from 'node:fs';
import { DIR_MODE, ensureDir, errnoCode, fsyncDirs, ioError, nonce, removeTree } from './fs-util.js';
import { type StoreLayout, parentOf } from './layout.js';

// Builds `target` (named `name`, a queue or stream of `store`) with `build`, which fills the staging
// directory it is given and writes what it writes durably. Returns false when `target` exists already.
export function createByStaging(
  store: StoreLayout, target: string, name: string, build: (staging: string) => void, options: { durable: boolean; what: string },
): boolean {
  const parent = parentOf(target);
  ensureDir(store.root);
  ensureDir(parent);
  const staging = store.staging(target, name, nonce());
  try {
    fs.mkdirSync(staging, { mode: DIR_MODE });
    build(staging);
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST' || errnoCode(error) === 'ENOTEMPTY') return false;
      throw error;
    }
    // The parent directory may be new too (the first queue or stream): its name is in the root.
    if (options.durable) fsyncDirs([parent, store.root]);
    return true;
  } catch (error) {
    throw ioError(error, `create ${options.what} in`, parent);
  } finally {
    removeTree(staging);
  }
}
