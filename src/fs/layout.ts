// Where everything lives under the store root. This module owns every path mq builds; the file-name
// grammar of messages is in queue/message-names.ts. The README's "On-disk format" describes the same tree:
//
//   <home>/
//     queues/<queue>/               one directory per queue (created complete, then renamed into place)
//       queue.json                  attributes; replaced atomically
//       notify                      doorbell: touched after every send, watched by long polls
//       lock                        lock (src/fs/lock.ts): attribute changes, and FIFO sends (never receives)
//       redrive.lock                held by the one redrive moving this queue's dead letters
//       ready/<b24>/<b16>/<b8>/     standard: visible and delayed messages, bucketed by when they become visible
//       inflight/<b16>/             standard: received messages, bucketed by visibility deadline
//       groups/<group>/             FIFO: one directory per message group, ready and in-flight messages
//                                   named by the queue's sequence number, so the directory sorts in order
//       sequence                    FIFO: the last sequence number given out (under the lock)
//       dedup/<window>/<key>        FIFO: deduplication entries, in 5-minute windows removed whole
//       tmp/                        staging: a message is written here, then renamed into ready/
//       damaged/                    message files that could not be decoded, set aside
//     streams/<stream>/             one directory per stream (created complete, then renamed into place)
//       stream.json                 attributes and the shard map; replaced atomically under `lock`
//       lock                        lock for attribute changes
//       notify                      doorbell: touched after every put, watched by `tail -f`
//       shards/<shardId>/           one directory per shard (shardId-000000000000 ...)
//         lock                      append lock: one writer per shard at a time
//         <first counter>.ndjson    segments: 20-digit counter of their first record (stream/segment-names.ts)
//         closed                    written under the append lock when the shard is split or merged
//       groups/<group>/<shardId>.json   a consumer group's checkpoint in a shard; replaced atomically
//       groups/<group>/<shardId>.lease  the group's lease on the shard (mq consume); replaced atomically
//       groups/<group>/<shardId>.lock   lock: lease changes and leased checkpoints, one at a time
//       groups/<group>/workers/<id>.json  a consume worker's announcement, with its expiry
//     trash/                        queues and buckets being deleted (renamed here first, then removed)
//
// Names given to these functions must already be validated (core/names.ts): they are joined as they are.
import path from 'node:path';

export class StoreLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get queuesDir(): string {
    return path.join(this.root, 'queues');
  }

  get trashDir(): string {
    return path.join(this.root, 'trash');
  }

  queue(name: string): QueueLayout {
    return new QueueLayout(path.join(this.queuesDir, name));
  }

  get streamsDir(): string {
    return path.join(this.root, 'streams');
  }

  stream(name: string): StreamLayout {
    return new StreamLayout(path.join(this.streamsDir, name));
  }
}

export class QueueLayout {
  constructor(readonly dir: string) {}

  get config(): string {
    return path.join(this.dir, 'queue.json');
  }

  get notify(): string {
    return path.join(this.dir, 'notify');
  }

  get lock(): string {
    return path.join(this.dir, 'lock');
  }

  // Held while a redrive moves this queue's dead letters out: one move task per queue.
  get redriveLock(): string {
    return path.join(this.dir, 'redrive.lock');
  }

  get ready(): string {
    return path.join(this.dir, 'ready');
  }

  get inflight(): string {
    return path.join(this.dir, 'inflight');
  }

  get tmp(): string {
    return path.join(this.dir, 'tmp');
  }

  get damaged(): string {
    return path.join(this.dir, 'damaged');
  }

  get groups(): string {
    return path.join(this.dir, 'groups');
  }

  get sequence(): string {
    return path.join(this.dir, 'sequence');
  }

  get dedup(): string {
    return path.join(this.dir, 'dedup');
  }
}

// The sub-directories a queue directory has from its creation on.
export function queueSubdirs(fifo: boolean): string[] {
  return fifo ? ['groups', 'dedup', 'tmp', 'damaged'] : ['ready', 'inflight', 'tmp', 'damaged'];
}

export class StreamLayout {
  constructor(readonly dir: string) {}

  get config(): string {
    return path.join(this.dir, 'stream.json');
  }

  get lock(): string {
    return path.join(this.dir, 'lock');
  }

  get notify(): string {
    return path.join(this.dir, 'notify');
  }

  get shardsDir(): string {
    return path.join(this.dir, 'shards');
  }

  shard(shardId: string): ShardLayout {
    return new ShardLayout(path.join(this.shardsDir, shardId));
  }

  get groupsDir(): string {
    return path.join(this.dir, 'groups');
  }

  group(name: string): string {
    return path.join(this.groupsDir, name);
  }

  checkpoint(group: string, shardId: string): string {
    return path.join(this.groupsDir, group, `${shardId}.json`);
  }

  lease(group: string, shardId: string): string {
    return path.join(this.groupsDir, group, `${shardId}.lease`);
  }

  groupShardLock(group: string, shardId: string): string {
    return path.join(this.groupsDir, group, `${shardId}.lock`);
  }

  workersDir(group: string): string {
    return path.join(this.groupsDir, group, 'workers');
  }

  worker(group: string, workerId: string): string {
    return path.join(this.groupsDir, group, 'workers', `${workerId}.json`);
  }
}

export class ShardLayout {
  constructor(readonly dir: string) {}

  get lock(): string {
    return path.join(this.dir, 'lock');
  }

  // Present once the shard is closed (its ending counter inside); appenders look for it under the lock.
  static readonly CLOSED = 'closed';

  get closed(): string {
    return path.join(this.dir, ShardLayout.CLOSED);
  }

  // A segment file, by its name (stream/segment-names.ts).
  segment(name: string): string {
    return path.join(this.dir, name);
  }
}

// The sub-directories every stream directory has from its creation on.
export const STREAM_SUBDIRS = ['shards', 'groups'] as const;
