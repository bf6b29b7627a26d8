// trash/: what is being deleted. A queue, a stream or a purged bucket is renamed here first, so it leaves
// its place at once and whole, then removed; what a killed process left here is swept later.
import fs from 'node:fs';
import path from 'node:path';
import type { StoreLayout } from './layout.js';
import { ensureDir, ioError, isNotFound, listDir, nonce, removeTree } from './fs-util.js';

export function moveToTrash(store: StoreLayout, target: string, label: string): string | null {
  // Nothing to remove: make no trash directory for it.
  if (!fs.existsSync(target)) return null;
  ensureDir(store.root);
  ensureDir(store.trashDir);
  const doomed = path.join(store.trashDir, `${label}-${Date.now()}-${nonce()}`);
  try {
    fs.renameSync(target, doomed);
    return doomed;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw ioError(error, 'remove', target);
  }
}

// Deletes a directory tree, returning how many files it held.
export function removeTreeCounting(dir: string, onProgress: (removed: number) => void): number {
  let removed = 0;
  const visit = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) {
        visit(child);
        fs.rmdirSync(child);
      } else {
        fs.unlinkSync(child);
        if (++removed % 1000 === 0) onProgress(removed);
      }
    }
  };
  visit(dir);
  fs.rmdirSync(dir);
  return removed;
}

// Removes what crashed removals left in trash/ (anything renamed there over ten minutes ago).
export function sweepTrash(store: StoreLayout, nowMs: number): void {
  for (const entry of listDir(store.trashDir)) {
    const renamedAt = Number(entry.split('-').at(-2));
    if (Number.isFinite(renamedAt) && nowMs - renamedAt > 10 * 60_000) removeTree(path.join(store.trashDir, entry));
  }
}

