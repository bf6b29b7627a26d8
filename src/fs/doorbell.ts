// Long polls without a daemon: every send (and every nack that makes a message visible) touches the
// queue's `notify` file; a waiting receive watches it with inotify (fs.watch) and rescans when it changes,
// when the next known delay or visibility deadline falls due, or at least once a second as a fallback.
import fs from 'node:fs';

const FALLBACK_POLL_MS = 1000;

// Tells waiting receivers that the queue changed. Best effort: a missing doorbell only delays them.
export function ring(notifyFile: string): void {
  try {
    const now = new Date();
    fs.utimesSync(notifyFile, now, now);
  } catch {
    // A waiter still rescans within FALLBACK_POLL_MS.
  }
}

export class Doorbell {
  private watcher: fs.FSWatcher | null = null;
  private rung = false;
  private wake: (() => void) | null = null;

  constructor(file: string) {
    try {
      this.watcher = fs.watch(file, { persistent: true }, () => this.onRing());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = null;
    }
  }

  private onRing(): void {
    this.rung = true;
    this.wake?.();
  }

  // Resolves when the doorbell rings (or rang since the last wait), after `delayMs`, at the fallback
  // poll, or when `signal` aborts.
  wait(delayMs: number, signal?: AbortSignal): Promise<void> {
    if (this.rung || signal?.aborted) {
      this.rung = false;
      return Promise.resolve();
    }
    const delay = Math.max(0, Math.min(delayMs, FALLBACK_POLL_MS));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        this.rung = false;
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
