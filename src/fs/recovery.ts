// Every repair the file store makes, in one table. mq has no daemon and no recovery step at start-up:
// what a killed process (or a power cut under durability 'none') leaves behind is noticed and repaired
// lazily, by the next command that meets it. Each entry says what is left, which command notices it, what
// the repair guarantees, the code that does it (where it runs; nothing runs from here) and the tests that
// show it. README "Recovery" is this table in words; test/fs/recovery.test.ts keeps the two in step and
// checks that every test named exists.
import { acquireLock, holderAlive, tryLockOrTakeOver } from './lock.js';
import { readClaimed } from './queue/claimed.js';
import { claimFifo } from './queue/fifo/receive.js';
import { lookupDedup } from './queue/fifo/dedup.js';
import { sweepStaleTemp } from './queue/queue-admin.js';
import { redrive } from './queue/redrive.js';
import { forEachInFlight, reapExpired } from './queue/standard/in-flight.js';
import { walkReadyBuckets } from './queue/standard/ready-walk.js';
import { appendToShard, repairTail } from './stream/append.js';
import { takeLease } from './stream/group-ops.js';
import { dropExpiredSegments } from './stream/janitor.js';
import { liveWorkers } from './stream/lease-files.js';
import { scanLines } from './stream/segment-file.js';
import { sweepTrash } from './trash.js';

export interface Repair {
  // The name README "Recovery" gives it.
  name: string;
  // What is left behind, and by what.
  left: string;
  // The command (or library call) that notices it.
  trigger: string;
  guarantee: string;
  code: readonly ((...args: never[]) => unknown)[];
  // Under test/.
  tests: readonly string[];
}

export const REPAIRS: readonly Repair[] = [
  {
    name: 'torn segment tail',
    left: 'a put killed mid-write (or a power cut under none): a last line without its newline, or last lines failing their checksum',
    trigger: 'readers skip it at once; the next put to the shard (under its append lock), or a reshard closing the shard, cuts it off',
    guarantee: 'no reader returns a line without its newline or with a bad checksum; the next record follows the last whole one, counters stay consecutive',
    code: [scanLines, repairTail],
    tests: ['fs/stream/fs-stream-store.test.ts', 'fs/stream/reshard.test.ts', 'fs/stream/segment-file.test.ts', 'torture/scenarios/stream.ts'],
  },
  {
    name: 'stale lock',
    left: 'a process killed holding a lock: a queue, stream, shard append, group or redrive lock, or a FIFO claim token',
    trigger: 'the next process that wants the lock',
    guarantee: 'a lock whose holder is dead (pid gone or reused, a zombie, an earlier boot) is taken over by exactly one process; a live holder\'s lock is never removed',
    code: [acquireLock, tryLockOrTakeOver, holderAlive],
    tests: ['fs/lock.test.ts', 'torture/scenarios/fifo-queue.ts'],
  },
  {
    name: 'expired delivery',
    left: 'a consumer killed (or too slow) before acking: a message in flight past its visibility timeout',
    trigger: 'the next receive, and stats (standard queues); the next receive that claims its group (FIFO)',
    guarantee: 'the message is visible again with its receive count kept, and a FIFO group\'s returned message comes before the rest of the group',
    code: [reapExpired, claimFifo],
    tests: ['fs/queue/fs-queue-store.concurrency.test.ts', 'fs/queue/fifo/fifo.test.ts', 'model/standard-queue.model.test.ts'],
  },
  {
    name: 'staged message',
    left: 'a send killed before publishing: a message file in the queue\'s tmp/',
    trigger: 'never delivered; a FIFO dedup entry naming it does not count (the message may be sent again); stats and purge remove it once an hour old',
    guarantee: 'a message whose id was never printed is never delivered, and a FIFO producer that sends it again gets it enqueued once',
    code: [lookupDedup, sweepStaleTemp],
    tests: ['fs/queue/fs-queue-store.test.ts', 'fs/queue/fifo/fifo.concurrency.test.ts'],
  },
  {
    name: 'undecodable message file',
    left: 'a power cut under none (an empty or torn file), or a link planted where a message file should be',
    trigger: 'the receive that claims it',
    guarantee: 'it is moved to damaged/, counted by stats, never delivered; the receive goes on with the other messages',
    code: [readClaimed],
    tests: ['fs/queue/fs-queue-store.test.ts', 'e2e/store-safety.e2e.test.ts'],
  },
  {
    name: 'trash left by a killed removal',
    left: 'rm, rm-stream or purge killed after renaming into trash/ and before deleting',
    trigger: 'the next rm, rm-stream or purge, for entries renamed there over ten minutes before',
    guarantee: 'the queue, stream or bucket left its place whole at the rename; its files are deleted later, and nothing in trash/ is ever read',
    code: [sweepTrash],
    tests: ['fs/trash.test.ts'],
  },
  {
    name: 'closed marker of a dead resharder',
    left: 'a reshard killed between writing a shard\'s closed marker and publishing the new map',
    trigger: 'the next put to the shard, under the append lock the resharder held',
    guarantee: 'a marker whose shard the map still shows open is removed and the put appends; no record lands in a shard after its ending sequence number',
    code: [appendToShard],
    tests: ['fs/stream/reshard.test.ts', 'fs/stream/reshard.concurrency.test.ts', 'torture/scenarios/stream-reshard.ts'],
  },
  {
    name: 'expired segments',
    left: 'records past retention (no daemon deletes them)',
    trigger: 'reads skip them at once; a put that rolls to a new segment, shards, ls and describe delete whole expired segments',
    guarantee: 'no expired record is returned; the newest segment is kept, so the next sequence number can always be read',
    code: [dropExpiredSegments],
    tests: ['fs/stream/fs-stream-store.test.ts', 'fs/stream/segment-retention.test.ts'],
  },
  {
    name: 'empty buckets and groups',
    left: 'bucket directories emptied by receives, FIFO group directories emptied by their consumers',
    trigger: 'receives, stats and peeks walking past them (buckets a minute in the past); the receiver that empties a FIFO group',
    guarantee: 'no directory a receive lists grows with the queue\'s history; a sender racing the removal makes the directory again',
    code: [walkReadyBuckets, forEachInFlight, claimFifo],
    tests: ['fs/queue/fs-queue-store.test.ts', 'fs/queue/staging.test.ts'],
  },
  {
    name: 'lease of a dead worker',
    left: 'a consume worker killed holding shard leases and its announcement',
    trigger: 'the other workers of the group, after the failover timeout; liveWorkers removes expired announcements',
    guarantee: 'the shards are taken over and resumed after the last checkpoint; a worker that lost its lease cannot checkpoint',
    code: [takeLease, liveWorkers],
    tests: ['contract/stream-leases.contract.ts', 'e2e/consume-workers.e2e.test.ts', 'fs/stream/reshard.concurrency.test.ts'],
  },
  {
    name: 'interrupted redrive',
    left: 'a redrive killed half-way',
    trigger: 'the next redrive (taking over the dead one\'s lock)',
    guarantee: 'each message is in exactly one of the two queues (every move is one rename), and the next redrive moves the rest',
    code: [redrive],
    tests: ['fs/queue/fifo/fifo.concurrency.test.ts', 'torture/scenarios/dead-letter-queue.ts'],
  },
];
