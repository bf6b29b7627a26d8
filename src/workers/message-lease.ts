// One message a queue worker holds, from its receive until it is acked or given back. While held (running or
// waiting its turn in a FIFO lane) its visibility is extended every third of the visibility timeout, so
// a handler that outlives the timeout is never delivered a second time. Operations on one message run
// one at a time, so an extension never races its ack.
import { isMqError } from '../core/errors.js';
import type { QueueStore } from '../core/queue-store.js';
import type { ReceivedMessage, Receipt } from '../core/queue-types.js';
import { inFlightRoomMs } from './retry.js';

export interface LeaseOptions {
  store: QueueStore;
  queue: string;
  visibilityTimeoutMs: number;
  now: () => number;
  // A problem with the message that may get it delivered again (a lost or unextendable message).
  warn: (message: ReceivedMessage, text: string) => void;
}

export class MessageLease {
  private receipt: Receipt;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private settled = false;

  // `takenAt` is read before the receive started, so the time in flight is never underestimated.
  constructor(readonly message: ReceivedMessage, readonly takenAt: number, private readonly options: LeaseOptions) {
    this.receipt = message.receipt!;
  }

  inFlightMs(): number {
    return this.options.now() - this.takenAt;
  }

  // Starts extending the visibility (every third of the timeout, at least every 100 ms).
  hold(): void {
    const every = Math.max(100, Math.floor(this.options.visibilityTimeoutMs / 3));
    this.timer = setInterval(() => this.serially(() => this.extend()), every);
  }

  private async extend(): Promise<void> {
    const { store, queue, visibilityTimeoutMs, warn } = this.options;
    if (this.settled) return;
    const room = inFlightRoomMs(this.inFlightMs());
    const timeoutMs = Math.min(visibilityTimeoutMs, room);
    if (timeoutMs <= 0) {
      this.stopExtending();
      warn(this.message, `message ${this.message.id} has been in flight for 12h, the most a message can be: it may be delivered again`);
      return;
    }
    try {
      this.receipt = await store.changeVisibility(queue, this.receipt, timeoutMs);
    } catch (error) {
      if (!isMqError(error)) throw error;
      // Stale: it became visible before we extended it (mq was stopped or starved for longer than the
      // timeout); another receiver may have it now. Nothing more to extend.
      this.stopExtending();
      warn(this.message, `message ${this.message.id}: cannot extend its visibility (${error.message}); it may be delivered again`);
    }
  }

  // Deletes the message; false (with a warning) when its receipt is no longer valid.
  async ack(): Promise<boolean> {
    return this.settle(async () => {
      let problem: string;
      try {
        const [outcome] = await this.options.store.ack(this.options.queue, [this.receipt]);
        if (outcome?.ok) return true;
        problem = outcome?.error.message ?? 'no outcome';
      } catch (error) {
        if (!isMqError(error)) throw error;
        problem = error.message;
      }
      this.options.warn(this.message, `message ${this.message.id}: handled, but not deleted (${problem}); it may be delivered again`);
      return false;
    });
  }

  // Gives the message back: visible again after `delayMs` (0: now).
  async release(delayMs: number): Promise<boolean> {
    return this.settle(async () => {
      try {
        await this.options.store.changeVisibility(this.options.queue, this.receipt, delayMs);
        return true;
      } catch (error) {
        if (!isMqError(error)) throw error;
        // It comes back on its own when its current visibility timeout ends.
        this.options.warn(this.message, `message ${this.message.id}: cannot give it back (${error.message})`);
        return false;
      }
    });
  }

  // Runs after whatever is in progress (an extension), and stops further extensions.
  private settle<T>(operation: () => Promise<T>): Promise<T> {
    this.stopExtending();
    this.settled = true;
    const result = this.chain.then(operation);
    this.chain = result.then(() => {}, () => {});
    return result;
  }

  private stopExtending(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private serially(operation: () => Promise<void>): void {
    this.chain = this.chain.then(operation).catch((error: unknown) => {
      this.stopExtending();
      this.options.warn(this.message, `message ${this.message.id}: cannot extend its visibility (${(error as Error)?.message ?? String(error)})`);
    });
  }
}
