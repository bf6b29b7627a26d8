// The stream contract, in domain words: what any backend (the file store today) must do. Behaviour is
// Kinesis's; test/contract/stream-store.contract.ts checks it against every backend.
import type { CreateStreamOptions } from './stream-attributes.js';
import type {
  Checkpoint, CreateStreamResult, DataResult, GroupShardLag, PutOptions, PutOutcome, PutRequest, ReadOptions, ReadResult,
  StreamDescription, StreamInfo, StreamPosition, StreamWatcher,
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

  // Appends records, each to the shard its key routes to, and reports each one's outcome in order.
  put(name: string, records: PutRequest[], options?: PutOptions): Promise<PutOutcome[]>;
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
  // Records (atomically) that `group` has processed `shardId` up to the checkpoint.
  setCheckpoint(name: string, group: string, shardId: string, checkpoint: Checkpoint): Promise<void>;
  // Every consumer group with its checkpoint and lag per shard, sorted by group and shard.
  groups(name: string): Promise<GroupShardLag[]>;
}
