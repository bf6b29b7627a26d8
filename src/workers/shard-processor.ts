// One shard a stream consumer (stream-consumer.ts) holds the lease of: read a batch after the group's checkpoint, run the
// handler on it (again, with backoff, while it fails), checkpoint under the lease once it succeeds; at
// the end of a closed shard checkpoint SHARD_END. Asked to stop or to give the shard back, it finishes
// the batch in hand and releases the lease; once the lease is lost it stops without checkpointing.
import { isMqError } from '../core/errors.js';
import { startGroup, groupPosition } from '../core/stream-groups.js';
import type { StreamStore } from '../core/stream-store.js';
import type { Checkpoint, ShardInfo, ShardLease, StreamPosition, StreamRecord, StreamWatcher } from '../core/stream-types.js';
import type { StreamConsumerEvent } from './events.js';
import { type FatalHandlerError, type HandlerOutcome, outcomeOf } from './handler.js';
import { type RetryPolicy, retryDelayMs } from './retry.js';
import { sleep } from './sleep.js';

export interface ProcessorContext {
  store: StreamStore;
  stream: string;
  group: string;
  start: StreamPosition;
  batchSize: number;
  failoverTimeoutMs: number;
  retry: RetryPolicy;
  handler: (records: StreamRecord[], shardId: string) => Promise<HandlerOutcome>;
  emit: (event: StreamConsumerEvent) => void;
  report: ProcessorReport;
  // The store failed, or the handler cannot work at all: the whole worker stops.
  fail: (error: unknown) => void;
  fatal: (fatal: FatalHandlerError) => void;
}

export interface ProcessorReport {
  records: number;
  batches: number;
  failedRuns: number;
  shardsFinished: number;
  leasesLost: number;
}

type State = 'running' | 'shedding' | 'stopping' | 'lost';

// How long an idle processor waits for new records before it looks again (a put rings the doorbell sooner).
const IDLE_WAIT_MS = 1000;

export class ShardProcessor {
  readonly done: Promise<void>;
  private state: State = 'running';
  private released = false;
  // Lease operations (renew, checkpoint, release) run one at a time, so a checkpoint always carries the
  // latest counter.
  private chain: Promise<unknown> = Promise.resolve();
  private readonly waits = new AbortController();

  constructor(readonly shard: ShardInfo, private lease: ShardLease, private readonly ctx: ProcessorContext, private readonly onExit: (finished: boolean) => void) {
    this.done = this.run();
  }

  get shardId(): string {
    return this.shard.shardId;
  }

  // Give the shard back at the next batch boundary (balancing).
  shed(): void {
    if (this.state === 'running') this.end('shedding');
  }

  // Finish the batch in hand, checkpoint it and release the lease (SIGTERM).
  stop(): void {
    if (this.state === 'running' || this.state === 'shedding') this.end('stopping');
  }

  renew(): Promise<void> {
    return this.serially(async () => {
      if (this.state === 'lost' || this.released) return;
      const renewed = await this.ctx.store.renewLease(this.ctx.stream, this.ctx.group, this.lease, this.ctx.failoverTimeoutMs);
      if (renewed) this.lease = renewed;
      else this.loseLease();
    });
  }

  private end(state: State): void {
    this.state = state;
    this.waits.abort();
  }

  private loseLease(): void {
    if (this.state === 'lost') return;
    this.ctx.report.leasesLost++;
    this.ctx.emit({ type: 'leaseLost', shardId: this.shardId });
    this.end('lost');
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(operation);
    this.chain = result.catch(() => {});
    return result;
  }

  private async run(): Promise<void> {
    const { store, stream, group } = this.ctx;
    let finished = false;
    let watcher: StreamWatcher | undefined;
    try {
      watcher = await store.watch(stream);
      const checkpoints = await startGroup(store, stream, group, [this.shard], this.ctx.start);
      let position = groupPosition(this.shard, checkpoints[this.shardId], this.ctx.start);
      while (position && this.state === 'running') {
        const result = await store.read(stream, this.shardId, position, { limit: this.ctx.batchSize });
        if (result.records.length > 0) {
          const last = result.records.at(-1)!.sequence;
          if (!(await this.handle(result.records)) || !(await this.checkpoint({ sequence: last }))) break;
          this.ctx.emit({ type: 'processed', shardId: this.shardId, records: result.records.length, lastSequence: last });
          position = result.next;
          continue;
        }
        if (result.shardEnd) {
          finished = await this.checkpoint({ sentinel: 'SHARD_END' });
          if (finished) {
            this.ctx.report.shardsFinished++;
            this.ctx.emit({ type: 'shardFinished', shardId: this.shardId });
          }
          break;
        }
        position = result.next;
        await watcher.wait(IDLE_WAIT_MS, this.waits.signal);
      }
    } catch (error) {
      this.ctx.fail(error);
    } finally {
      watcher?.close();
      await this.release();
      this.onExit(finished);
    }
  }

  // Runs the handler until it succeeds (true), or gives up because of a stop, a shed or a lost lease.
  private async handle(records: StreamRecord[]): Promise<boolean> {
    const { ctx, shardId } = this;
    for (let attempt = 1; ; attempt++) {
      const outcome = await outcomeOf(() => ctx.handler(records, shardId));
      if (outcome.ok) {
        ctx.report.records += records.length;
        ctx.report.batches++;
        return true;
      }
      if (outcome.fatal) {
        ctx.fatal({ reason: outcome.reason, cause: outcome.cause });
        return false;
      }
      ctx.report.failedRuns++;
      if (this.state !== 'running') {
        ctx.emit({ type: 'failed', shardId, records: records.length, reason: outcome.reason, retryDelayMs: null, lost: this.state === 'lost' });
        return false;
      }
      const delay = retryDelayMs(ctx.retry, attempt, 0);
      ctx.emit({ type: 'failed', shardId, records: records.length, reason: outcome.reason, retryDelayMs: delay, lost: false });
      await sleep(delay, this.waits.signal);
      if (this.state !== 'running') return false;
    }
  }

  // Checkpoints under the lease; false once the lease is lost (another worker took the shard over).
  private checkpoint(checkpoint: Checkpoint): Promise<boolean> {
    return this.serially(async () => {
      if (this.state === 'lost') return false;
      try {
        await this.ctx.store.setCheckpoint(this.ctx.stream, this.ctx.group, this.shardId, checkpoint, this.lease);
        return true;
      } catch (error) {
        if (!isMqError(error, 'LEASE_LOST')) throw error;
        this.loseLease();
        return false;
      }
    });
  }

  private release(): Promise<void> {
    return this.serially(async () => {
      if (this.state === 'lost' || this.released) return;
      this.released = true;
      try {
        await this.ctx.store.releaseLease(this.ctx.stream, this.ctx.group, this.lease);
      } catch (error) {
        // The lease then simply expires; other workers take it over after the failover timeout.
        this.ctx.emit({ type: 'warning', shardId: this.shardId, text: `cannot release the lease on ${this.shardId}: ${(error as Error).message}` });
      }
    });
  }
}
