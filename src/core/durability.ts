// Durability: how safe a write is once a backend has acknowledged it (a send's id, a put's sequence
// number, a checkpoint), as two levels every backend keeps by its own means. A queue or stream is created
// with a level, and a backend may be opened with one that overrides it for every queue and stream.
//
//   'fsync'  acknowledged writes survive a power cut (or a kernel crash) of the machine that holds them
//   'none'   acknowledged writes survive the crash of any process, not a power cut: writes of the last
//            seconds may be lost then, never half-kept
//
// Each backend says how it keeps them: the file store fsyncs files and directories before it answers
// under 'fsync' and leaves them in the page cache under 'none' (src/fs/fs-backend.ts, README
// "Durability"); a replicated engine answers once its own commit rule holds. The names are the file
// store's, the first backend: they are what `--durability` and the stored attributes have always said.
import { invalidArgument } from './errors.js';

export type Durability = 'fsync' | 'none';

export const DURABILITY_LEVELS: readonly Durability[] = ['fsync', 'none'];

export const DEFAULT_DURABILITY: Durability = 'fsync';

// Throws INVALID_ARGUMENT unless `value` is a durability level; `what` names it in the message.
export function checkDurability(value: unknown, what = 'durability'): Durability {
  if (!DURABILITY_LEVELS.includes(value as Durability)) {
    throw invalidArgument(`${what} must be ${DURABILITY_LEVELS.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  return value as Durability;
}
