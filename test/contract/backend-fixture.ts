// What every contract suite does around each test: make a fresh backend with the factory it was given,
// hand it to the suite, and clean it up afterwards.
import { afterEach, beforeEach } from 'vitest';
import type { Backend } from '../../src/core/backend.js';

export type BackendFactory = () => Promise<{ backend: Backend; cleanup(): Promise<void> }>;

export function useFreshBackend(makeBackend: BackendFactory, use: (backend: Backend) => void | Promise<void>): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const made = await makeBackend();
    cleanup = made.cleanup;
    await use(made.backend);
  });
  afterEach(async () => {
    await cleanup?.();
  });
}
