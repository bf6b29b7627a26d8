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
