// File-store behaviour of streams that needs a fake clock or a look at the files themselves: retention
// and segment deletion, arrival times that never go back, torn-tail repair, damaged lines, segment rolls.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import type { StreamStore } from '../../../src/core/stream-store.js';
import type { ReadResult, StreamRecord } from '../../../src/core/stream-types.js';
import { HOUR, MINUTE } from '../../../src/core/queue-attributes.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { tempHome } from '../../helpers/tmp-home.js';
import { segmentBytes } from '../../helpers/segments.js';
import { codeOf } from '../../helpers/error-codes.js';

const SHARD = 'shardId-000000000000';

describe('file stream store with a fake clock', () => {
  let clock: FakeClock;
  let home: string;
  let s: StreamStore;
  const shardDir = () => path.join(home, 'streams', 'ev', 'shards', SHARD);
  const segments = () => fs.readdirSync(shardDir()).filter((f) => f.endsWith('.ndjson')).sort();

  const put = async (...datas: string[]) => {
    const outcomes = await s.put('ev', datas.map((data) => ({ data, partitionKey: 'k' })));
    return outcomes.map((o) => {
      if (!o.ok) throw o.error;
      return o.sequence;
    });
  };
  const readAll = async (): Promise<StreamRecord[]> => {
    const all: StreamRecord[] = [];
    let position: Parameters<StreamStore['read']>[2] = { type: 'trim-horizon' };
    for (;;) {
      const result: ReadResult = await s.read('ev', SHARD, position, { limit: 7 });
      all.push(...result.records);
      position = result.next;
      if (result.caughtUp) return all;
    }
  };

  beforeEach(async () => {
    clock = new FakeClock();
    home = tempHome();
    s = createFsBackend({ home, clock, streamSegmentBytes: 1000 }).streams;
    await s.create('ev');
  });

  it('rolls to a new segment named by its first counter once a segment reaches the size limit', async () => {
    for (let i = 0; i < 30; i++) await put(`record ${i}`);
    expect(segments().length).toBeGreaterThan(2);
    expect(segments()[0]).toBe('00000000000000000001.ndjson');
    const firsts = segments().map((name) => Number(name.slice(0, 20)));
    const records = await readAll();
    expect(records.map((r) => r.data)).toEqual(Array.from({ length: 30 }, (_, i) => `record ${i}`));
    for (const first of firsts) expect(records.some((r) => r.sequence.endsWith(String(first).padStart(20, '0')))).toBe(true);
  });

  it('never returns records older than the retention period, and deletes whole expired segments lazily', async () => {
    for (let i = 0; i < 20; i++) await put(`old ${i}`);
    clock.advance(20 * HOUR);
    for (let i = 0; i < 20; i++) await put(`new ${i}`);
    const before = segments().length;
    clock.advance(4 * HOUR + MINUTE);
    expect((await readAll()).map((r) => r.data)).toEqual(Array.from({ length: 20 }, (_, i) => `new ${i}`));
    const [first] = (await s.read('ev', SHARD, { type: 'at-sequence', sequence: '100000000000000000000000000000001' })).records;
    expect(first?.data).toBe('new 0');
    await s.describe('ev');
    expect(segments().length).toBeLessThan(before);
    expect((await s.describe('ev')).shards[0]).toMatchObject({ records: 20 });
    clock.advance(20 * HOUR);
    expect(await readAll()).toEqual([]);
    expect((await s.describe('ev')).shards[0]).toMatchObject({ records: 0, firstSequence: null, lastSequence: null });
    // The next record continues the sequence, even with every earlier record expired.
    const [next] = await put('after');
    expect(next).toBe('100000000000000000000000000000041');
  });

  it('hides older records at once when retention decreases, and does not bring them back when it increases', async () => {
    await s.setRetention('ev', 48 * HOUR);
    await put('a');
    clock.advance(30 * HOUR);
    await put('b');
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'b']);
    await s.setRetention('ev', 24 * HOUR);
    expect((await readAll()).map((r) => r.data)).toEqual(['b']);
    await s.setRetention('ev', 72 * HOUR);
    expect((await readAll()).map((r) => r.data)).toEqual(['b']);
    expect(await codeOf(s.setRetention('ev', 8761 * HOUR))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(s.setRetention('ev', 23 * HOUR))).toBe('INVALID_ARGUMENT');
    expect((await s.get('ev')).attributes.retentionMs).toBe(72 * HOUR);
  });

  it('gives arrival times that never go back within a shard, even when the clock does', async () => {
    await put('a');
    clock.advance(-MINUTE);
    await put('b');
    clock.advance(2 * MINUTE);
    await put('c');
    const [a, b, c] = await readAll();
    expect(b!.arrivedAt).toBe(a!.arrivedAt);
    expect(c!.arrivedAt).toBe(a!.arrivedAt + MINUTE);
  });

  it('starts AT_TIMESTAMP at the first record that arrived at or after it, TRIM_HORIZON before the horizon, refuses the future', async () => {
    for (let i = 0; i < 25; i++) {
      await put(`r${i}`);
      clock.advance(1000);
    }
    const start = clock.now() - 25_000;
    const at = async (timestamp: number) => (await s.read('ev', SHARD, { type: 'at-timestamp', timestamp }, { limit: 1 })).records[0]?.data;
    expect(await at(start + 7000)).toBe('r7');
    expect(await at(start + 7001)).toBe('r8');
    expect(await at(start - 48 * HOUR)).toBe('r0');
    expect(await codeOf(s.read('ev', SHARD, { type: 'at-timestamp', timestamp: clock.now() + 1 }))).toBe('INVALID_ARGUMENT');
  });

  it('repairs a torn tail left by a killed writer before the next append, and readers never see it', async () => {
    await put('a', 'b');
    const [segment] = segments();
    const file = path.join(shardDir(), segment!);
    const torn = segmentBytes([{ counter: 3, t: clock.now(), data: 'half a record' }]).subarray(0, 40);
    fs.appendFileSync(file, torn);
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'b']);
    const [c] = await put('c');
    expect(c).toBe('100000000000000000000000000000003');
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'b', 'c']);
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).d)).toEqual(['a', 'b', 'c']);
  });

  it('cuts off complete last lines that fail their checksum (garbage after a power cut) before appending', async () => {
    await put('a');
    const file = path.join(shardDir(), segments()[0]!);
    fs.appendFileSync(file, '\u0000\u0000\u0000\n{"s":"100000000000000000000000000000002","t":1,"k":"k","d":"forged","c":"00000000"}\n');
    expect((await readAll()).map((r) => r.data)).toEqual(['a']);
    expect(await put('b')).toEqual(['100000000000000000000000000000002']);
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'b']);
  });

  it('skips a damaged line in the middle of a segment instead of returning it', async () => {
    await put('a', 'b', 'c');
    const file = path.join(shardDir(), segments()[0]!);
    const bytes = fs.readFileSync(file);
    bytes[bytes.indexOf('"d":"b"') + 5] = 'x'.charCodeAt(0);
    fs.writeFileSync(file, bytes);
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'c']);
  });

  it('continues the sequence after an empty newest segment left by a writer that died after creating it', async () => {
    await put('a', 'b');
    fs.writeFileSync(path.join(shardDir(), '00000000000000000003.ndjson'), '');
    expect(await put('c')).toEqual(['100000000000000000000000000000003']);
    expect((await readAll()).map((r) => r.data)).toEqual(['a', 'b', 'c']);
  });

  it('reports lag per group and shard: unread records and how long the oldest has waited', async () => {
    const [first] = await put('a', 'b', 'c');
    await s.setCheckpoint('ev', 'g', SHARD, { sequence: first! });
    clock.advance(5000);
    expect(await s.groups('ev')).toEqual([
      { group: 'g', shardId: SHARD, checkpoint: { sequence: first }, lagRecords: 2, lagMs: 5000, updatedAt: clock.now() - 5000 },
    ]);
  });

  it('continues a read from counter 0 of an empty shard from a position it accepts back', async () => {
    // Before: next was after-sequence "...-1", which the next read (tail -f) refused as invalid.
    const zero = `1${'0'.repeat(32)}`;
    const first = await s.read('ev', SHARD, { type: 'at-sequence', sequence: zero });
    expect(first.next).toEqual({ type: 'after-sequence', sequence: zero });
    const [sequence] = await put('a');
    expect((await s.read('ev', SHARD, first.next)).records.map((r) => r.sequence)).toEqual([sequence]);
  });

  it('writes files private to their owner', async () => {
    await put('a');
    expect(fs.statSync(path.join(home, 'streams', 'ev')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(shardDir(), segments()[0]!)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(home, 'streams', 'ev', 'stream.json')).mode & 0o777).toBe(0o600);
  });
});
