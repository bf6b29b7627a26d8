// Redrives started from the console: each runs in the server (the store allows one per dead-letter
// queue at a time, across every process) and reports its progress, so the page that started it can show
// how far it got. A finished one is kept for a while so that its page can still say how it ended.
import { MqError, isMqError } from '../core/errors.js';
import type { QueueStore } from '../core/queue-store.js';
import type { RedriveOptions, RedriveResult } from '../core/queue-types.js';

export interface RedriveTask {
  queue: string;
  // Where the messages go: a queue, or null for each message's own source.
  to: string | null;
  startedAt: number;
  // Messages in the dead-letter queue when it started (a progress bar's full length).
  total: number;
  moved: number;
  state: 'running' | 'done' | 'failed';
  finishedAt: number | null;
  result: RedriveResult | null;
  error: string | null;
}

const KEEP_FINISHED_MS = 10 * 60_000;

export class RedriveTasks {
  private readonly tasks = new Map<string, RedriveTask>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(private readonly now: () => number) {}

  get(queue: string): RedriveTask | null {
    const task = this.tasks.get(queue);
    if (task && task.finishedAt !== null && this.now() - task.finishedAt > KEEP_FINISHED_MS) this.tasks.delete(queue);
    return this.tasks.get(queue) ?? null;
  }

  isRunning(queue: string): boolean {
    return this.get(queue)?.state === 'running';
  }

  // Starts moving the dead letters of `queue`; throws LOCKED when this server already runs one for it
  // (another process's redrive shows up as the task failing with LOCKED).
  start(store: QueueStore, queue: string, total: number, options: Pick<RedriveOptions, 'to' | 'ratePerSecond'>): RedriveTask {
    if (this.isRunning(queue)) throw new MqError('LOCKED', `a redrive of "${queue}" is already running`);
    const controller = new AbortController();
    const task: RedriveTask = {
      queue, to: options.to ?? null, startedAt: this.now(), total, moved: 0, state: 'running', finishedAt: null, result: null, error: null,
    };
    this.tasks.set(queue, task);
    this.controllers.set(queue, controller);
    const finish = (state: RedriveTask['state'], result: RedriveResult | null, error: string | null) => {
      Object.assign(task, { state, result, error, finishedAt: this.now(), moved: result?.moved ?? task.moved });
      this.controllers.delete(queue);
    };
    store.redrive(queue, { ...options, signal: controller.signal, onProgress: (moved) => (task.moved = moved) })
      .then((result) => finish('done', result, null))
      .catch((error: unknown) => finish('failed', null, isMqError(error) ? error.message : String((error as Error)?.message ?? error)));
    return task;
  }

  // Stops every running redrive (messages already moved stay moved).
  close(): void {
    for (const controller of this.controllers.values()) controller.abort();
  }
}
