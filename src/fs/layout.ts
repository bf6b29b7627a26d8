// Where everything lives under the store root. This module owns every path mq builds; the file-name
// grammar of messages is in queue/message-names.ts. The README's "On-disk format" describes the same tree:
//
//   <home>/
//     queues/<queue>/               one directory per queue (created complete, then renamed into place)
//       queue.json                  attributes; replaced atomically
//       notify                      doorbell: touched after every send, watched by long polls
//       lock                        O_EXCL lock file for cold-path updates (attribute changes)
//       ready/<b24>/<b16>/<b8>/     visible and delayed messages, bucketed by the time they become visible
//       inflight/<b16>/             received messages, bucketed by visibility deadline
//       tmp/                        staging: a message is written here, then renamed into ready/
//       damaged/                    message files that could not be decoded, set aside
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
}

// The sub-directories every queue directory has from its creation on.
export const QUEUE_SUBDIRS = ['ready', 'inflight', 'tmp', 'damaged'] as const;
