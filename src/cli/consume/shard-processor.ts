// One shard a `mq consume` worker holds the lease of: read a batch after the group's checkpoint, run the
// handler on it (again, with backoff, while it fails), checkpoint under the lease once it succeeds; at
// the end of a closed shard checkpoint SHARD_END. Asked to stop or to give the shard back, it finishes
// the batch in hand and releases the lease; once the lease is lost it stops without checkpointing.
import { isMqError } from '../../core/errors.js';
import { startGroup, groupPosition } from '../../core/stream-groups.js';
import type { StreamStore } from '../../core/stream-store.js';
import type { Checkpoint, ShardInfo, ShardLease, StreamPosition, StreamRecord, StreamWatcher } from '../../core/stream-types.js';
import { formatDuration } from '../../core/units.js';
import { type HandlerOutcome, describeOutcome } from '../work/handler-process.js';
import { type RetryPolicy, retryDelayMs } from '../work/retry.js';
import { sleep } from '../sleep.js';

export interface ProcessorContext {
  store: StreamStore;
  stream: string;
  group: string;
  start: StreamPosition;
  batchSize: number;
  failoverTimeoutMs: number;
  retry: RetryPolicy;
  run: (shardId: string, records: StreamRecord[]) => Promise<HandlerOutcome>;
  warn: (text: string) => void;
  report: ProcessorReport;
  // The handler cannot be started at all, or the store failed: the whole worker stops.
  fail: (error: unknown, spawnError?: NodeJS.ErrnoException) => void;
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
    this.ctx.warn(`lost the lease on ${this.shardId} to another worker: stopped processing it`);
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
          position = result.next;
          continue;
        }
        if (result.shardEnd) {
          finished = await this.checkpoint({ sentinel: 'SHARD_END' });
          if (finished) this.ctx.report.shardsFinished++;
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
    const { ctx } = this;
    for (let attempt = 1; ; attempt++) {
      const outcome = await ctx.run(this.shardId, records);
      if (outcome.kind === 'exited' && outcome.code === 0) {
        ctx.report.records += records.length;
        ctx.report.batches++;
        return true;
      }
      if (outcome.kind === 'spawnFailed') {
        ctx.fail(undefined, outcome.error);
        return false;
      }
      ctx.report.failedRuns++;
      if (this.state !== 'running') {
        ctx.warn(`${this.shardId}: ${describeOutcome(outcome)}; not retried: ${this.state === 'lost' ? 'the lease was lost' : 'stopping'}`);
        return false;
      }
      const delay = retryDelayMs(ctx.retry, attempt, 0);
      ctx.warn(`${this.shardId}: ${describeOutcome(outcome)}; the batch of ${records.length} is retried in ${formatDuration(delay)}`);
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
        this.ctx.warn(`cannot release the lease on ${this.shardId}: ${(error as Error).message}`);
      }
    });
  }
}
