// Where everything lives under the store root. This module owns every path and every fixed name mq
// builds (test/fs/layout.test.ts checks that no other file of src/fs joins paths); the file-name grammars
// of what varies are in queue/message-names.ts, queue/fifo/fifo-names.ts and stream/segment-names.ts. The
// README's "On-disk format" describes the same tree:
//
//   <home>/
//     store.json                    the store's format version (store-format.ts)
//     queues/<queue>/               one directory per queue (created complete, then renamed into place)
//       queue.json                  attributes; replaced atomically
//       notify                      doorbell: touched after every send, watched by long polls
//       lock                        lock (src/fs/lock.ts): attribute changes, and FIFO sends (never receives)
//       redrive.lock                held by the one redrive moving this queue's dead letters
//       ready/<b24>/<b16>/<b8>/     standard: visible and delayed messages, bucketed by when they become visible
//       inflight/<b16>/             standard: received messages, bucketed by visibility deadline
//       groups/<group>/             FIFO: one directory per message group (claim, ready/<bucket>/, inflight/),
//                                   messages named by the queue's sequence number, so a listing sorts in order
//       sequence                    FIFO: the last sequence number given out (under the lock)
//       dedup/<window>/<key>        FIFO: deduplication entries, in 5-minute windows removed whole
//       tmp/<id>.new                staging: a message is written here, then renamed into ready/
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
//     trash/<label>-<ms>-<nonce>    queues, streams and buckets being deleted (renamed here, then removed)
//   and beside files replaced or locked:
//     .<name>.<nonce>.tmp           a file being replaced atomically (fs-util.ts writeFileAtomic)
//     <lock>.takeover, <lock>.<nonce>.aside   the taking over of a dead holder's lock (lock.ts)
//     .new-<name>-<nonce>/          a queue or stream being created (staged-dir.ts)
//
// Names given to these functions must already be validated (core/names.ts): they are joined as they are.
import path from 'node:path';

// A file or directory inside a directory, by the name a listing gave or a grammar made.
export function childPath(dir: string, name: string): string {
  return path.join(dir, name);
}

// The directories from just below `base` down to `target` (which lies below it), outermost first.
export function dirsBetween(base: string, target: string): string[] {
  const dirs: string[] = [];
  for (let dir = target; dir.startsWith(base + path.sep); dir = path.dirname(dir)) dirs.unshift(dir);
  return dirs;
}

export function parentOf(file: string): string {
  return path.dirname(file);
}

export function baseName(file: string): string {
  return path.basename(file);
}

// A path below a queue or stream as receipts carry it, in parts; splitRelativePath takes it apart.
export function relativePath(...parts: string[]): string {
  return parts.join('/');
}

export function splitRelativePath(text: string): string[] {
  return text.split('/');
}

// Where a file is written before it atomically replaces `file`: a dot name beside it (listings skip dot names).
export function atomicTempOf(file: string, nonce: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${nonce}.tmp`);
}

// The second lock taken while a dead holder's lock is taken over, and the name a lock is checked under
// before it is removed (lock.ts).
export function takeoverLockOf(lockPath: string): string {
  return `${lockPath}.takeover`;
}

export function asideOf(lockPath: string, nonce: string): string {
  return `${lockPath}.${nonce}.aside`;
}

const TRASH_ENTRY = /^(.+)-(\d+)-([0-9a-f]+)$/;

export class StoreLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get formatFile(): string {
    return path.join(this.root, 'store.json');
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

  // Where a queue or stream named `name` is built before it is renamed into `dir`: a dot name beside it.
  staging(dir: string, name: string, nonce: string): string {
    return path.join(path.dirname(dir), `.new-${name}-${nonce}`);
  }

  // Something renamed into trash/ at `nowMs`, labelled for whoever lists trash/.
  trashEntry(label: string, nowMs: number, nonce: string): string {
    return path.join(this.trashDir, `${label}-${nowMs}-${nonce}`);
  }

  // When an entry of trash/ was renamed there, or null for a name trashEntry did not make.
  trashedAt(entry: string): number | null {
    const match = TRASH_ENTRY.exec(entry);
    return match ? Number(match[2]) : null;
  }

  // The directories holding each of the directories from `first` down to the root (all just made), so
  // that fsyncing them makes the new names durable.
  rootHolders(first: string): string[] {
    const holders: string[] = [];
    for (let dir = this.root; ; dir = path.dirname(dir)) {
      holders.push(path.dirname(dir));
      if (dir === first || dir === path.dirname(dir)) break;
    }
    return holders;
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

  // A ready bucket, by its directory names outermost first (queue/message-names.ts readyBucketPath).
  readyBucket(buckets: string[]): string {
    return path.join(this.ready, ...buckets);
  }

  get inflight(): string {
    return path.join(this.dir, 'inflight');
  }

  inflightBucket(bucket: string): string {
    return path.join(this.inflight, bucket);
  }

  get tmp(): string {
    return path.join(this.dir, 'tmp');
  }

  // Where a new message is written before it is published: while this file exists, the message is not.
  stagedMessage(id: string): string {
    return path.join(this.tmp, `${id}${STAGED_SUFFIX}`);
  }

  get damaged(): string {
    return path.join(this.dir, 'damaged');
  }

  get groups(): string {
    return path.join(this.dir, 'groups');
  }

  // A FIFO group's directory, by its name (queue/fifo/fifo-names.ts groupDirName).
  group(groupDir: string): GroupLayout {
    return new GroupLayout(path.join(this.groups, groupDir));
  }

  get sequence(): string {
    return path.join(this.dir, 'sequence');
  }

  get dedup(): string {
    return path.join(this.dir, 'dedup');
  }

  dedupWindow(window: string): string {
    return path.join(this.dedup, window);
  }
}

// The name a staged message has in tmp/: its id and this suffix.
export const STAGED_SUFFIX = '.new';

// The sub-directories a queue directory has from its creation on.
export function queueSubdirs(fifo: boolean): string[] {
  return fifo ? ['groups', 'dedup', 'tmp', 'damaged'] : ['ready', 'inflight', 'tmp', 'damaged'];
}

// One FIFO message group: its claim token, its waiting messages in buckets, its deliveries.
export class GroupLayout {
  constructor(readonly dir: string) {}

  get claim(): string {
    return path.join(this.dir, 'claim');
  }

  get ready(): string {
    return path.join(this.dir, 'ready');
  }

  readyBucket(bucket: string): string {
    return path.join(this.ready, bucket);
  }

  get inflight(): string {
    return path.join(this.dir, 'inflight');
  }
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
