// The torture checks on hand-made logs: each one passes a correct history and reports a broken one, so a
// green torture run means the guarantees held, not that nothing was looked at.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBody, verifyBody } from './bodies.js';
import { Rng, deriveSeed, formatSeed, parseSeed } from './random.js';
import {
  type Batch, type Delivery, checkAtRest, checkDedup, checkDelivered, checkDeliveriesDistinct, checkDrainUnique, checkFifoOrder,
  checkIntact, checkProducerOrder,
} from './checks/queue-checks.js';
import {
  type StoredRecord, checkGroupCovered, checkGroupReads, checkPutsStored, checkRecordsWhole, checkScans, rollHash,
} from './checks/stream-checks.js';
import {
  type Delivery as ChainDelivery, checkChainsStored, checkCheckpointsKept, checkDeliveryOrder, checkFreshRead, checkLeaseGrants, checkRouting, checkSessionStarts, checkShardEnds,
  checkStoredOnce, parseChainTag,
} from './checks/reshard-checks.js';
import { parseEntries } from './worker-log.js';
import { scanStore } from '../helpers/segment-check.js';
import { segmentBytes } from '../helpers/segments.js';
import { tempHome } from '../helpers/tmp-home.js';

const delivery = (id: string, n = 1, extra: Partial<Delivery> = {}): Delivery => ({ id, tag: `t-${id}`, n, source: 'run', queue: 'q', ...extra });

describe('torture bodies and seeds', () => {
  it('bodies verify whole and fail torn, mixed or zeroed', () => {
    const rng = new Rng(1);
    const body = makeBody('p0.1.7', rng);
    expect(verifyBody(body)).toBe('p0.1.7');
    expect(verifyBody(body.slice(0, -1))).toBeNull();
    expect(verifyBody(body.slice(0, Math.floor(body.length / 2)))).toBeNull();
    expect(verifyBody(`${body.slice(0, 10)}x${body.slice(11)}`)).toBeNull();
    expect(verifyBody('\0'.repeat(40))).toBeNull();
  });

  it('a seed replays the same decisions', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, (_, i) => new Rng(deriveSeed(seed, 'x', i)).int(0, 1e9));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(parseSeed(formatSeed(0xdeadbeef))).toBe(0xdeadbeef);
    expect(() => parseSeed('soon')).toThrow(/MQ_TORTURE_SEED/);
  });

  it('a log killed mid-append loses only its torn last line', () => {
    expect(parseEntries('{"t":"sent"}\n{"t":"re')).toEqual([{ t: 'sent' }]);
    expect(() => parseEntries('{"t":"se\n{"t":"sent"}\n')).toThrow(/damaged log line 1/);
  });
});

describe('queue checks', () => {
  it('find an acknowledged send that was never delivered', () => {
    const sent = [{ id: 'a', tag: 't-a' }, { id: 'b', tag: 't-b' }];
    expect(checkDelivered(sent, [delivery('a'), delivery('b')])).toEqual([]);
    expect(checkDelivered(sent, [delivery('a')])).toEqual([expect.stringMatching(/^1 acknowledged sends never delivered, e.g. t-b/)]);
  });

  it('find a body that does not verify', () => {
    expect(checkIntact([delivery('a')])).toEqual([]);
    expect(checkIntact([delivery('a', 1, { tag: null })])).toHaveLength(1);
  });

  it('find one delivery claimed twice, and a message whose body changed', () => {
    expect(checkDeliveriesDistinct([delivery('a', 1), delivery('a', 2)])).toEqual([]);
    expect(checkDeliveriesDistinct([delivery('a', 1), delivery('a', 1, { source: 'drain' })])).toEqual([expect.stringMatching(/delivered twice with receive count 1/)]);
    expect(checkDeliveriesDistinct([delivery('a', 1), delivery('a', 2, { tag: 't-x' })])).toEqual([expect.stringMatching(/another body/)]);
  });

  it('find a message stored twice or left in flight', () => {
    expect(checkDrainUnique([delivery('a'), delivery('b')])).toEqual([]);
    expect(checkDrainUnique([delivery('a'), delivery('b', 1, { tag: 't-a' })])).toEqual([expect.stringMatching(/body t-a stored twice/)]);
    expect(checkAtRest([{ queue: 'q', state: 'ready', id: 'a' }, { queue: 'dlq', state: 'ready', id: 'b' }])).toEqual([]);
    expect(checkAtRest([{ queue: 'q', state: 'ready', id: 'a' }, { queue: 'dlq', state: 'ready', id: 'a' }])).toEqual([expect.stringMatching(/in two places/)]);
    expect(checkAtRest([{ queue: 'q', state: 'inFlight', id: 'a' }])).toEqual([expect.stringMatching(/still in flight/)]);
  });

  it('find a FIFO message delivered before an earlier one of its group was acked', () => {
    const known = ['1', '2', '3'].map((seq) => ({ id: `m${seq}`, group: 'g', seq, queue: 'q' }));
    const batch = (at: bigint, ...seqs: string[]): Batch => ({ at, queue: 'q', msgs: seqs.map((seq) => delivery(`m${seq}`, 1, { group: 'g', seq })) });
    const acked = new Map([['m1', 10n], ['m2', 30n]]);
    expect(checkFifoOrder([batch(5n, '1'), batch(20n, '2', '3')], acked, known)).toEqual([]);
    // m2 is delivered at 20 but m1's ack only started at 25.
    expect(checkFifoOrder([batch(5n, '1'), batch(20n, '2')], new Map([['m1', 25n]]), known)).toEqual([expect.stringMatching(/seq 2 delivered at 20 while earlier message m1/)]);
    expect(checkFifoOrder([batch(5n, '1', '3')], acked, known)).toEqual([expect.stringMatching(/skipped unacked message m2/)]);
    expect(checkFifoOrder([batch(5n, '2', '1')], acked, known)).toEqual(expect.arrayContaining([expect.stringMatching(/out of sequence order/)]));
  });

  it('find a producer whose later send got an earlier sequence number, and a dedup id enqueued twice', () => {
    const sent = (tag: string, seq: string, order: number, id = tag) => ({ id, tag, seq, order, group: 'g', producer: 'p.0', dedupId: tag });
    expect(checkProducerOrder([sent('a', '1', 0), sent('b', '2', 1)])).toEqual([]);
    expect(checkProducerOrder([sent('a', '2', 0), sent('b', '1', 1)])).toHaveLength(1);
    expect(checkDedup([sent('a', '1', 0)], [delivery('a', 1, { dedupId: 'a' })])).toEqual([]);
    expect(checkDedup([sent('a', '1', 0)], [delivery('x', 1, { dedupId: 'a' })])).toEqual(['dedup id a enqueued 2 times: a, x']);
  });
});

describe('stream checks', () => {
  const record = (counter: number, tag: string | null = `t${counter}`): StoredRecord => ({
    shardId: 's0', sequence: `1${'0'.repeat(12)}${String(counter).padStart(20, '0')}`, counter, tag,
  });
  const shard = [record(1), record(2), record(3)];
  const stored = new Map(shard.map((r) => [r.sequence, r]));

  it('find an acknowledged put missing, changed, or acknowledged twice', () => {
    expect(checkPutsStored([['s0', shard[0]!.sequence, 't1']], stored)).toEqual([]);
    expect(checkPutsStored([['s0', shard[0]!.sequence, 't9']], stored)).toEqual([expect.stringMatching(/1 acknowledged puts not stored/)]);
    expect(checkPutsStored([['s0', shard[0]!.sequence, 't1'], ['s0', shard[0]!.sequence, 't1']], stored)).toEqual([expect.stringMatching(/acknowledged twice/)]);
  });

  it('find a gap in the counters and a record that does not verify', () => {
    expect(checkRecordsWhole(new Map([['s0', shard]]))).toEqual([]);
    expect(checkRecordsWhole(new Map([['s0', [record(1), record(3)]]]))).toEqual(['s0: counter 3 at position 2']);
    expect(checkRecordsWhole(new Map([['s0', [record(1, null)]]]))).toHaveLength(1);
  });

  it('find a group that never read an acknowledged put, or read something the shard does not hold', () => {
    const acked: [string, string, string][] = shard.map((r) => ['s0', r.sequence, r.tag!]);
    expect(checkGroupCovered('g', acked, new Set(shard.map((r) => r.sequence)))).toEqual([]);
    expect(checkGroupCovered('g', acked, new Set([shard[0]!.sequence]))).toEqual([expect.stringMatching(/group g: 2 acknowledged puts never read/)]);
    expect(checkGroupReads('g', [{ sequence: shard[1]!.sequence, tag: 't2' }], stored)).toEqual([]);
    expect(checkGroupReads('g', [{ sequence: shard[1]!.sequence, tag: 't3' }], stored)).toHaveLength(1);
  });

  it('find a record a reader saw that is no longer there', () => {
    const hashOf = (records: StoredRecord[]) => records.reduce((h, r) => rollHash(h, r.sequence, r.tag), 0);
    expect(checkScans([{ shard: 's0', count: 2, hash: hashOf(shard.slice(0, 2)), problems: [] }], new Map([['s0', shard]]))).toEqual([]);
    expect(checkScans([{ shard: 's0', count: 2, hash: hashOf([record(1), record(2, 'other')]), problems: [] }], new Map([['s0', shard]]))).toHaveLength(1);
    expect(checkScans([{ shard: 's0', count: 4, hash: 0, problems: [] }], new Map([['s0', shard]]))).toHaveLength(1);
  });
});

describe('reshard checks', () => {
  const seq = (shard: number, counter: number) => `1${String(shard).padStart(12, '0')}${String(counter).padStart(20, '0')}`;
  const rec = (shard: number, counter: number, tag: string | null) => ({ shardId: `s${shard}`, sequence: seq(shard, counter), counter, tag });
  // Chain p/k: records 0 and 1 of incarnation 0 in parent shard 0, record 0 of incarnation 2 in child shard 1.
  const stored = [rec(0, 1, 'p/k/0.0'), rec(0, 2, 'p/k/0.1'), rec(1, 1, 'p/k/2.0')];
  const tags = stored.map((r) => r.tag);
  let clock = 0;
  const deliver = (proc: string, session: number, r: { shardId: string; sequence: string; tag: string | null }, i = 0): ChainDelivery =>
    ({ at: String(++clock * 10), proc, session, shardId: r.shardId, i, sequence: r.sequence, tag: r.tag });

  it('parse chain tags, and find a record stored twice or a chain with a hole', () => {
    expect(parseChainTag('p0/k2/3.17')).toEqual({ chain: 'p0/k2', incarnation: 3, k: 17, rank: 3_000_017 });
    expect(parseChainTag('marker.shardId-000000000001')).toBeNull();
    expect(checkStoredOnce(stored)).toEqual([]);
    expect(checkStoredOnce([...stored, rec(2, 1, 'p/k/0.1')])).toEqual([expect.stringMatching(/p\/k\/0.1 stored twice/)]);
    expect(checkChainsStored(stored)).toEqual([]);
    // Across incarnations holes are allowed (a put killed before it wrote), within one not.
    expect(checkChainsStored([stored[0]!, stored[2]!])).toEqual([]);
    expect(checkChainsStored([stored[1]!, stored[2]!])).toEqual([expect.stringMatching(/p\/k 0: record 1 stored but record 0 is not/)]);
    expect(checkChainsStored([rec(0, 1, 'p/k/0.1'), rec(0, 2, 'p/k/0.0')])).toEqual([expect.stringMatching(/p\/k\/0.0 stored after rank 1/)]);
  });

  it('find a record after a closed shard\'s end, a lost marker, and records in an unpublished shard', () => {
    const counters = new Map([['s0', [1, 2]], ['s1', [1]]]);
    const closed = { shardId: 's0', state: 'closed' as const, endingCounter: 2, marker: 2 };
    const open = { shardId: 's1', state: 'open' as const, marker: null };
    expect(checkShardEnds([closed, open], counters, [])).toEqual([]);
    expect(checkShardEnds([{ ...closed, endingCounter: 1, marker: 1 }, open], counters, [])).toEqual([expect.stringMatching(/ending counter 1, holds records up to 2/)]);
    expect(checkShardEnds([{ ...closed, marker: null }, open], counters, [])).toEqual([expect.stringMatching(/closed marker says null/)]);
    // Made and closed within one plan: no marker, no records.
    expect(checkShardEnds([{ shardId: 's5', state: 'closed', endingCounter: 0, marker: null }], counters, [])).toEqual([]);
    expect(checkShardEnds([closed, { ...open, marker: 4 }], counters, [])).toEqual([expect.stringMatching(/open in the map but a closed marker/)]);
    expect(checkShardEnds([closed], counters, ['s1'])).toEqual([expect.stringMatching(/s1: not in the shard map, yet holds 1 records/)]);
  });

  it('find a record in a shard whose range does not hold its key', () => {
    const ranges = new Map<string, [bigint, bigint]>([['s0', [0n, 9n]], ['s1', [10n, 19n]]]);
    expect(checkRouting([{ shardId: 's0', sequence: 'x', hash: 9n }, { shardId: 's1', sequence: 'y', hash: 10n }], ranges)).toEqual([]);
    expect(checkRouting([{ shardId: 's0', sequence: 'x', hash: 10n }], ranges)).toHaveLength(1);
  });

  it('allow a replay of a suffix in a new session, and find a skip, a child read first, or a session going back', () => {
    const [a, b, c] = stored as [typeof stored[0], typeof stored[0], typeof stored[0]];
    // Session 1 delivers 0 and 1 and dies before its checkpoint; session 2 replays 1; then the child.
    expect(checkDeliveryOrder([deliver('c1', 1, a), deliver('c1', 1, b), deliver('c2', 1, b), deliver('c2', 2, c)], tags)).toEqual([]);
    // A batch: one time, in batch order.
    expect(checkDeliveryOrder([{ ...deliver('c1', 1, a), at: '5', i: 0 }, { ...deliver('c1', 1, b), at: '5', i: 1 }], tags)).toEqual([]);
    // A chain with a hole between incarnations: the next stored record follows.
    expect(checkDeliveryOrder([deliver('c1', 1, a), deliver('c1', 1, c)], [a.tag, c.tag])).toEqual([]);
    // The child's record before the parent's last one (and the skip in session 1).
    expect(checkDeliveryOrder([deliver('c1', 1, a), deliver('c2', 1, c), deliver('c1', 1, b)], tags)).toEqual(expect.arrayContaining([expect.stringMatching(/p\/k\/0.1 first delivered .* after a later record/)]));
    expect(checkDeliveryOrder([deliver('c1', 1, c), deliver('c1', 2, a), deliver('c1', 2, b)], tags)).toEqual(expect.arrayContaining([expect.stringMatching(/p\/k\/0.0 first delivered/)]));
    expect(checkDeliveryOrder([deliver('c1', 1, a), deliver('c1', 1, b), deliver('c1', 1, a)], tags)).toEqual([expect.stringMatching(/p\/k\/0.0 delivered in one session .* after the chain's record at position 1/)]);
    expect(checkDeliveryOrder([deliver('c1', 1, a), deliver('c1', 1, c)], tags)).toEqual([expect.stringMatching(/p\/k\/2.0 delivered in one session/)]);
  });

  it('find a session that starts at or before a checkpoint written before it took the lease', () => {
    const [a, b] = stored as [typeof stored[0], typeof stored[0]];
    const session = { proc: 'c2', session: 1, shardId: 's0', asked: '100' };
    const checkpoint = { shardId: 's0', checkpoint: a.sequence, at: '50' };
    const from = (r: typeof a) => ({ ...deliver('c2', 1, r), at: '200' });
    expect(checkSessionStarts([session], [checkpoint], [from(b)])).toEqual([]);
    // A checkpoint written after the lease was asked for does not bind it.
    expect(checkSessionStarts([session], [{ ...checkpoint, checkpoint: b.sequence, at: '150' }], [from(b)])).toEqual([]);
    expect(checkSessionStarts([session], [checkpoint], [from(a)])).toEqual([expect.stringMatching(/started at .* though checkpoint/)]);
    expect(checkSessionStarts([session], [{ ...checkpoint, checkpoint: 'SHARD_END' }], [from(b)])).toHaveLength(1);
  });

  it('find a lease counter handed out twice, a live lease taken over, and a lease file gone back', () => {
    const grant = (counter: number, owner: string, updatedAt: number) => ({ shardId: 's0', owner, counter, updatedAt, expiresAt: updatedAt + 1000 });
    const final = new Map([['s0', 3]]);
    expect(checkLeaseGrants([grant(1, 'x', 0), grant(2, 'x', 300), grant(3, 'y', 1300)], final)).toEqual([]);
    expect(checkLeaseGrants([grant(1, 'x', 0), grant(1, 'y', 10)], final)).toEqual([expect.stringMatching(/counter 1 handed to x and y/)]);
    expect(checkLeaseGrants([grant(2, 'x', 300), grant(3, 'y', 1200)], final)).toEqual([expect.stringMatching(/y took lease 3 at 1200 while x's lease 2 ran to 1300/)]);
    expect(checkLeaseGrants([grant(3, 'y', 1300)], new Map([['s0', 2]]))).toEqual([expect.stringMatching(/ends at counter 2, below 3/)]);
  });

  it('find a checkpoint file older than a checkpoint written', () => {
    const written = (checkpoint: string, at: string) => ({ shardId: 's0', checkpoint, at });
    expect(checkCheckpointsKept([written(seq(0, 1), '1'), written(seq(0, 2), '2')], new Map([['s0', seq(0, 2)]]))).toEqual([]);
    expect(checkCheckpointsKept([written(seq(0, 2), '1'), written('SHARD_END', '2')], new Map([['s0', 'SHARD_END']]))).toEqual([]);
    expect(checkCheckpointsKept([written(seq(0, 2), '1')], new Map([['s0', seq(0, 1)]]))).toEqual([expect.stringMatching(/s0: checkpoint .* was written, but the file holds/)]);
    expect(checkCheckpointsKept([written('SHARD_END', '1')], new Map([['s0', seq(0, 9)]]))).toHaveLength(1);
    expect(checkCheckpointsKept([written(seq(0, 1), '1')], new Map())).toEqual([expect.stringMatching(/holds nothing/)]);
  });

  it('find a fresh group that misses, repeats or reorders a record', () => {
    const map = new Map(stored.map((r) => [r.sequence, r]));
    const seen = stored.map((r) => ({ sequence: r.sequence, tag: r.tag }));
    expect(checkFreshRead(seen, map)).toEqual([]);
    expect(checkFreshRead(seen.slice(0, 2), map)).toEqual([expect.stringMatching(/1 stored records never read/)]);
    expect(checkFreshRead([...seen, seen[2]!], map)).toEqual(expect.arrayContaining([expect.stringMatching(/read twice/)]));
    expect(checkFreshRead([seen[0]!, seen[2]!, seen[1]!], map)).toEqual(expect.arrayContaining([expect.stringMatching(/p\/k\/0.1 read after rank 2000000/)]));
  });
});

describe('segment scan', () => {
  const write = (home: string, bytes: Buffer) => {
    const dir = path.join(home, 'streams', 'ev', 'shards', 'shardId-000000000000');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '00000000000000000001.ndjson'), bytes);
  };
  const lines = [{ counter: 1, t: 1 }, { counter: 2, t: 2 }, { counter: 3, t: 3 }];

  it('accepts whole records and reports a torn tail, a damaged line and a skipped counter', () => {
    const home = tempHome();
    const good = segmentBytes(lines);
    write(home, good);
    expect(scanStore(home).problems).toEqual([]);
    expect(scanStore(home).records.get('ev')!.get('shardId-000000000000')!.map((r) => r.data)).toEqual(['r1', 'r2', 'r3']);
    write(home, good.subarray(0, good.length - 5));
    expect(scanStore(home).problems).toEqual([expect.stringMatching(/without a newline at the end/)]);
    expect(scanStore(home, { tornTailAllowed: true }).problems).toEqual([]);
    const damaged = Buffer.from(good);
    damaged[damaged.indexOf('r2')] = 0x73;
    write(home, damaged);
    expect(scanStore(home).problems).toEqual([expect.stringMatching(/at byte \d+: checksum mismatch/), expect.stringMatching(/counter 3 after 1/)]);
    write(home, segmentBytes([{ counter: 1, t: 1 }, { counter: 3, t: 2 }]));
    expect(scanStore(home).problems).toEqual([expect.stringMatching(/counter 3 after 1/)]);
  });
});
