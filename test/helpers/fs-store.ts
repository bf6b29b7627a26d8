// A fresh file store for each test of this file (opened on a temporary directory, closed and removed
// after the test): `store()` is the test's backend.
import { afterEach, beforeEach } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import type { Clock } from '../../src/core/clock.js';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { tempHome } from './tmp-home.js';

export function useFsStore(clock?: Clock): () => Backend {
  let backend: Backend | undefined;
  beforeEach(() => {
    backend = createFsBackend({ home: tempHome(), ...(clock ? { clock } : {}) });
  });
  afterEach(async () => {
    await backend?.close();
  });
  return () => backend!;
}
