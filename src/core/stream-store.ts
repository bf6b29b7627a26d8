// The stream contract, in domain words: what any backend (the file store today, NATS JetStream later)
// must do. Behaviour is Kinesis's; test/contract/stream-store.contract.ts checks it against every backend.
import type { CreateStreamOptions } from './stream-attributes.js';
import type {
  Checkpoint, CreateStreamResult, DataResult, GroupShardLag, LineBlock, PutLinesOptions, PutLinesResult, PutOptions, PutOutcome, PutRequest,
  ReadOptions, ReadResult, ReshardResult, ShardLease, StreamDescription, StreamInfo, StreamPosition, StreamWatcher,
} from './stream-types.js';

export interface StreamStore {
  // Creates a stream of N open shards splitting the hash key space evenly, or returns the existing one
  // when every attribute given matches it (else ALREADY_EXISTS).
  create(name: string, options?: CreateStreamOptions): Promise<CreateStreamResult>;
  get(name: string): Promise<StreamInfo>;
  // Every stream, sorted by name; with a prefix, the names starting with it (case-sensitive).
  list(prefix?: string): Promise<StreamInfo[]>;
  // The stream with each shard's hash key range, sequence range, records and bytes.
  describe(name: string): Promise<StreamDescription>;
  // Changes the retention period: longer up to 8,760 h, shorter down to 24 h. Records expired before the
  // change stay expired.
  setRetention(name: string, retentionMs: number): Promise<StreamInfo>;
  remove(name: string): Promise<void>;

  // Resharding (SplitShard, MergeShards, UpdateShardCount). Parents close with their ending sequence
  // numbers and stay readable; children record their parents and take the next free shard indexes; a
  // closed shard cannot be split or merged again (SHARD_CLOSED). Safe against puts in other processes:
  // no record lands in a closed shard after its ending sequence number, and none is lost.
  // Splits at `atHashKey` (a decimal hash key; default the middle of the shard's range).
  splitShard(name: string, shardId: string, atHashKey?: string): Promise<ReshardResult>;
  // Merges two open shards whose hash key ranges are adjacent.
  mergeShards(name: string, shardId: string, adjacentShardId: string): Promise<ReshardResult>;
  // Makes `target` open shards with even ranges (half to twice the open count), by splits and merges.
  updateShardCount(name: string, target: number): Promise<ReshardResult>;

  // Appends records, each to the shard its key routes to, and reports each one's outcome in order.
  put(name: string, records: PutRequest[], options?: PutOptions): Promise<PutOutcome[]>;
  // put for lines of bytes (each line one record, UTF-8), with outcomes as columns: the same checks,
  // routing, order and guarantees as put, without an object per record (a backend may store each
  // shard's lines of one call in one step).
  putLines(name: string, blocks: LineBlock[], options?: PutLinesOptions): Promise<PutLinesResult>;
  // Reads records of one shard from a position, in sequence order. Reading never removes anything.
  read(name: string, shardId: string, from: StreamPosition, options?: ReadOptions & { dataAs?: 'string' }): Promise<ReadResult>;
  read(name: string, shardId: string, from: StreamPosition, options: ReadOptions & { dataAs: 'bytes' }): Promise<ReadResult<Uint8Array>>;
  // Reads as `read` does, but gives only the records' data, each followed by a newline, as one block of
  // bytes: the cheap way to copy records out (a replay into a pipe makes no object per record).
  readData(name: string, shardId: string, from: StreamPosition, options?: Omit<ReadOptions, 'dataAs'>): Promise<DataResult>;
  // A watcher that wakes when records may have been put to the stream (close it when done).
  watch(name: string): Promise<StreamWatcher>;

  // The checkpoints of a consumer group, by shard id; GROUP_NOT_FOUND when the group has none.
  checkpoints(name: string, group: string): Promise<Record<string, Checkpoint>>;
  // Records (atomically) that `group` has processed `shardId` up to the checkpoint. With a lease, only
  // while that lease is still held (else LEASE_LOST); without one, refused (CONFLICT) while a worker
  // holds a live lease on the shard.
  setCheckpoint(name: string, group: string, shardId: string, checkpoint: Checkpoint, lease?: ShardLease): Promise<void>;
  // Records the start checkpoints given for shards that have none yet (first writer wins), and returns
  // the group's checkpoints afterwards.
  initCheckpoints(name: string, group: string, starts: Record<string, Checkpoint>): Promise<Record<string, Checkpoint>>;
  // Every consumer group with its checkpoint, lease holder and lag per shard, sorted by group and shard.
  groups(name: string): Promise<GroupShardLag[]>;

  // Shard leases of a consumer group (KCL), for workers that share its shards (`mq consume`).
  leases(name: string, group: string): Promise<ShardLease[]>;
  // Takes a shard's lease for `owner` for `durationMs`, unless another owner holds it live (null then).
  takeLease(name: string, group: string, shardId: string, owner: string, durationMs: number): Promise<ShardLease | null>;
  // Extends a lease still held; null when it was lost (taken over by another worker, or released).
  renewLease(name: string, group: string, lease: ShardLease, durationMs: number): Promise<ShardLease | null>;
  // Gives a lease up so that any worker may take it at once (nothing happens when it was lost).
  releaseLease(name: string, group: string, lease: ShardLease): Promise<void>;
  // Announces a worker of the group for `ttlMs` (0: it leaves) and returns the workers announced and
  // not expired, so that workers can share the shards evenly.
  announceWorker(name: string, group: string, workerId: string, ttlMs: number): Promise<string[]>;
}
