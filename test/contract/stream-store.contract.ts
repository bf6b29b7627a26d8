// The behaviour every StreamStore must have (Kinesis semantics, items 62-79, 89-91 and 97 of the spec's
// checklist), written once and run against each backend. Real time only: a backend need not take a fake
// clock, so retention by age is tested in the file store's own tests.
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { LineBlock, PutLinesResult, StreamPosition, StreamRecord } from '../../src/core/stream-types.js';
import { MqError } from '../../src/core/errors.js';
import { formatSequence } from '../../src/core/sequence-numbers.js';
import { MAX_HASH_KEY, partitionKeyHash } from '../../src/core/hash-keys.js';
import { openGroupCursors } from '../../src/core/stream-groups.js';
import { lastSequenceByShard, readLast, readMerged } from '../../src/core/stream-reader.js';
import { codeOf } from '../helpers/error-codes.js';
import { type BackendFactory, useFreshBackend } from './backend-fixture.js';

export type { BackendFactory };

const S0 = 'shardId-000000000000';
const S1 = 'shardId-000000000001';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStreamStoreContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`StreamStore contract: ${backendName}`, () => {
    let s: StreamStore;
    useFreshBackend(makeBackend, (backend) => {
      s = backend.streams;
    });

    const putAll = async (stream: string, records: { data: string | Uint8Array; partitionKey?: string; explicitHashKey?: string }[]) => {
      const outcomes = await s.put(stream, records);
      return outcomes.map((o) => {
        if (!o.ok) throw o.error;
        return o;
      });
    };
    const readShardAll = async (stream: string, shardId: string, from: StreamPosition = { type: 'trim-horizon' }) => {
      const records: StreamRecord[] = [];
      let position = from;
      for (;;) {
        const result = await s.read(stream, shardId, position, { limit: 3 });
        records.push(...result.records);
        position = result.next;
        if (result.caughtUp) return records;
      }
    };

    describe('creating streams', () => {
      it('rejects names outside [a-zA-Z0-9_.-]{1,128} and treats names as case-sensitive (62)', async () => {
        for (const name of ['', 'x'.repeat(129), 'a/b', '../x', 'sp ace', '.', '..', 'é']) {
          expect([name, await codeOf(s.create(name))]).toEqual([name, 'INVALID_NAME']);
        }
        await s.create('Ev.1_x-y');
        await s.create('ev.1_x-y');
        expect((await s.list()).map((i) => i.name)).toEqual(['Ev.1_x-y', 'ev.1_x-y']);
      });

      it('makes N open shards shardId-000000000000... whose hash ranges exactly cover 0..2^128-1 (62)', async () => {
        const { stream } = await s.create('ev', { shardCount: 3 });
        expect(stream.shards.map((x) => x.shardId)).toEqual([S0, S1, 'shardId-000000000002']);
        expect(stream.shards.every((x) => x.state === 'open')).toBe(true);
        const ranges = stream.shards.map((x) => [BigInt(x.hashKeyRange.startingHashKey), BigInt(x.hashKeyRange.endingHashKey)] as const);
        expect(ranges[0]![0]).toBe(0n);
        expect(ranges[2]![1]).toBe(MAX_HASH_KEY);
        expect(ranges[1]![0]).toBe(ranges[0]![1] + 1n);
        expect(ranges[2]![0]).toBe(ranges[1]![1] + 1n);
      });

      it('is idempotent with the same attributes and refuses different ones (62, as mq create)', async () => {
        expect((await s.create('ev', { shardCount: 2 })).created).toBe(true);
        expect((await s.create('ev', { shardCount: 2 })).created).toBe(false);
        expect((await s.create('ev')).created).toBe(false);
        expect(await codeOf(s.create('ev', { shardCount: 3 }))).toBe('ALREADY_EXISTS');
        expect(await codeOf(s.create('ev', { retentionMs: 48 * 3_600_000 }))).toBe('ALREADY_EXISTS');
      });

      it('reports an active provisioned stream with 24 h retention, no encryption and its open shard count (63)', async () => {
        await s.create('ev', { shardCount: 2 });
        expect(await s.get('ev')).toMatchObject({
          name: 'ev', status: 'active', mode: 'provisioned', encryption: 'none', openShardCount: 2, shardCount: 2,
          attributes: { retentionMs: 24 * 3_600_000, maxRecordBytes: 1_048_576, durability: 'fsync' },
        });
      });

      it('refuses shard counts, retentions and record sizes out of range', async () => {
        for (const options of [{ shardCount: 0 }, { retentionMs: 23 * 3_600_000 }, { retentionMs: 8761 * 3_600_000 }, { maxRecordBytes: 10 * 1024 * 1024 + 1 }]) {
          expect(await codeOf(s.create('ev', options))).toBe('INVALID_ARGUMENT');
        }
        expect(await s.list()).toEqual([]);
      });

      it('lists by prefix, removes, and reports a missing stream or shard', async () => {
        for (const name of ['app-a', 'app-b', 'other']) await s.create(name);
        expect((await s.list('app')).map((i) => i.name)).toEqual(['app-a', 'app-b']);
        await s.remove('app-a');
        expect((await s.list()).map((i) => i.name)).toEqual(['app-b', 'other']);
        expect(await codeOf(s.remove('app-a'))).toBe('STREAM_NOT_FOUND');
        expect(await codeOf(s.put('app-a', [{ data: 'x' }]))).toBe('STREAM_NOT_FOUND');
        expect(await codeOf(s.read('app-a', S0, { type: 'latest' }))).toBe('STREAM_NOT_FOUND');
        expect(await codeOf(s.read('other', S1, { type: 'latest' }))).toBe('SHARD_NOT_FOUND');
      });
    });

    describe('putting records', () => {
      beforeEach(async () => {
        await s.create('ev', { shardCount: 4 });
      });

      it('routes by MD5 of the partition key to the shard whose range holds it, the same key always alike (64)', async () => {
        const { shards } = await s.get('ev');
        const records = Array.from({ length: 40 }, (_, i) => ({ data: `d${i}`, partitionKey: `user-${i % 10}` }));
        const results = await putAll('ev', records);
        results.forEach((result, i) => {
          const hash = partitionKeyHash(records[i]!.partitionKey);
          const owner = shards.find((x) => BigInt(x.hashKeyRange.startingHashKey) <= hash && hash <= BigInt(x.hashKeyRange.endingHashKey))!;
          expect(result.shardId).toBe(owner.shardId);
        });
        const byKey = new Map<string, Set<string>>();
        results.forEach((r, i) => byKey.set(records[i]!.partitionKey, (byKey.get(records[i]!.partitionKey) ?? new Set()).add(r.shardId)));
        for (const set of byKey.values()) expect(set.size).toBe(1);
      });

      it('lets an explicit hash key choose the shard, and refuses one outside 0..2^128-1 or not decimal (65)', async () => {
        const results = await putAll('ev', [
          { data: 'a', partitionKey: 'k', explicitHashKey: '0' },
          { data: 'b', partitionKey: 'k', explicitHashKey: MAX_HASH_KEY.toString() },
        ]);
        expect(results.map((r) => r.shardId)).toEqual([S0, 'shardId-000000000003']);
        for (const explicitHashKey of [(MAX_HASH_KEY + 1n).toString(), '-1', 'abc', '1.0']) {
          const [outcome] = await s.put('ev', [{ data: 'x', partitionKey: 'k', explicitHashKey }]);
          expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
        }
      });

      it('refuses an empty or 257-character partition key and a record over the maximum size (66)', async () => {
        const outcomes = await s.put('ev', [
          { data: 'a', partitionKey: '' },
          { data: 'b', partitionKey: 'k'.repeat(257) },
          { data: 'x'.repeat(1_048_576 - 1), partitionKey: 'kk' },
          { data: 'x'.repeat(1_048_576 - 1), partitionKey: 'k' },
        ]);
        expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'RECORD_TOO_LARGE', 'ok']);
      });

      it('returns one result per record in input order, sequence numbers increasing within each shard (67, 68)', async () => {
        const outcomes = await s.put('ev', Array.from({ length: 60 }, (_, i) => ({ data: `d${i}`, partitionKey: i === 30 ? '' : `k${i}` })));
        expect(outcomes).toHaveLength(60);
        expect(outcomes.filter((o) => !o.ok)).toHaveLength(1);
        expect(outcomes[30]!.ok).toBe(false);
        const last = new Map<string, string>();
        for (const outcome of outcomes) {
          if (!outcome.ok) continue;
          expect(outcome.sequence > (last.get(outcome.shardId) ?? '')).toBe(true);
          last.set(outcome.shardId, outcome.sequence);
        }
        const [again] = await putAll('ev', [{ data: 'later', partitionKey: 'k1' }]);
        const earlier = outcomes.filter((o) => o.ok && o.shardId === again!.shardId).map((o) => (o.ok ? o.sequence : ''));
        for (const sequence of earlier) expect(again!.sequence > sequence).toBe(true);
      });

      it('stores nothing of an atomic batch with one invalid record', async () => {
        expect(await codeOf(s.put('ev', [{ data: 'a', partitionKey: 'k' }, { data: 'b', partitionKey: '' }], { atomic: true }))).toBe('INVALID_ARGUMENT');
        for (const { shardId } of (await s.get('ev')).shards) expect(await readShardAll('ev', shardId)).toEqual([]);
      });

      it('spreads records put without a key over the shards', async () => {
        const results = await putAll('ev', Array.from({ length: 400 }, (_, i) => ({ data: `d${i}` })));
        const counts = new Map<string, number>();
        for (const r of results) counts.set(r.shardId, (counts.get(r.shardId) ?? 0) + 1);
        expect(counts.size).toBe(4);
        for (const count of counts.values()) expect(count).toBeGreaterThan(50);
      });
    });

    describe('putting lines of bytes (putLines, the bulk form of put)', () => {
      beforeEach(async () => {
        await s.create('ev', { shardCount: 4 });
        await s.create('ref', { shardCount: 4 });
      });

      // Blocks of lines as a reader of stdin makes them: lines joined by newlines, `null` a line left out.
      const blockOf = (lines: (string | Buffer | null)[]): LineBlock => {
        const parts: Buffer[] = [];
        const starts = new Int32Array(lines.length);
        const ends = new Int32Array(lines.length);
        let at = 0;
        lines.forEach((line, i) => {
          const bytes = line === null ? Buffer.from('left out') : Buffer.from(line);
          starts[i] = line === null ? -1 : at;
          ends[i] = at + bytes.length;
          parts.push(bytes, Buffer.from('\n'));
          at += bytes.length + 1;
        });
        return { bytes: Buffer.concat(parts), starts, ends, count: lines.length };
      };
      const outcomesOf = (result: PutLinesResult) =>
        Array.from({ length: result.count }, (_, n) => {
          const shard = result.shards[n]!;
          if (shard === -2) return 'left out';
          if (shard === -1) return result.errors.get(n)!.code;
          return { shardId: `shardId-${String(shard).padStart(12, '0')}`, sequence: formatSequence(shard, result.counters[n]!) };
        });
      const allRecords = async (stream: string) => {
        const out: StreamRecord[] = [];
        for (const { shardId } of (await s.get(stream)).shards) out.push(...(await readShardAll(stream, shardId)));
        return out;
      };
      const datas = ['plain', '', 'quote " and \\ backslash', 'tab\there', 'é 日本 😀', '{"json":[1,2]}', '\u0000', 'x'.repeat(37), 'ctl\u001f'];

      it('stores under a key or an explicit hash key the records put() stores, with the same results', async () => {
        const keys = datas.map((_, i) => `user-${i % 4}`);
        const options = [
          { partitionKey: 'same' },
          { partitionKey: 'same', explicitHashKey: MAX_HASH_KEY.toString() },
        ];
        for (const option of options) {
          const expected = await putAll('ref', datas.map((data) => ({ data, ...option })));
          const result = await s.putLines('ev', [blockOf(datas)], option);
          expect(outcomesOf(result)).toEqual(expected.map((o) => ({ shardId: o.shardId, sequence: o.sequence })));
        }
        const keyOf = (bytes: Uint8Array, start: number, end: number) => keys[datas.indexOf(Buffer.from(bytes.subarray(start, end)).toString())]!;
        const expected = await putAll('ref', datas.map((data, i) => ({ data, partitionKey: keys[i]! })));
        // Two blocks: lines are numbered through them.
        const result = await s.putLines('ev', [blockOf(datas.slice(0, 4)), blockOf(datas.slice(4))], { partitionKeyOf: keyOf });
        expect(outcomesOf(result)).toEqual(expected.map((o) => ({ shardId: o.shardId, sequence: o.sequence })));
        const strip = (r: StreamRecord) => ({ shardId: r.shardId, sequence: r.sequence, partitionKey: r.partitionKey, data: r.data });
        expect((await allRecords('ev')).map(strip)).toEqual((await allRecords('ref')).map(strip));
      });

      it('spreads lines without a key over the shards, each under a key that routes to its shard', async () => {
        const lines = Array.from({ length: 400 }, (_, i) => `d${i}`);
        const result = await s.putLines('ev', [blockOf(lines)]);
        const counts = new Map<number, number>();
        for (const shard of result.shards) counts.set(shard, (counts.get(shard) ?? 0) + 1);
        expect(counts.size).toBe(4);
        for (const count of counts.values()) expect(count).toBeGreaterThan(50);
        const { shards } = await s.get('ev');
        const records = await allRecords('ev');
        expect(records.map((r) => r.data).sort()).toEqual([...lines].sort());
        for (const record of records) {
          const hash = partitionKeyHash(record.partitionKey);
          const owner = shards.find((x) => BigInt(x.hashKeyRange.startingHashKey) <= hash && hash <= BigInt(x.hashKeyRange.endingHashKey))!;
          expect(record.shardId).toBe(owner.shardId);
        }
      });

      it('refuses bad lines alone (invalid UTF-8, too large, a key that cannot be found) and stores the others in order', async () => {
        const lines = [
          'a', Buffer.from([0x61, 0xff]), null, 'x'.repeat(1_048_576 - 1), '{"id":"k1"}', '{"no":1}', 'b', 'é',
        ];
        const keyOf = (bytes: Uint8Array, start: number, end: number) => {
          const text = Buffer.from(bytes.subarray(start, end)).toString();
          if (text === '{"no":1}') throw new MqError('INVALID_ARGUMENT', 'no field "id"');
          return text.length > 10 ? 'kk' : 'k';
        };
        const result = await s.putLines('ev', [blockOf(lines.slice(0, 3)), blockOf(lines.slice(3))], { partitionKeyOf: keyOf });
        const outcomes = outcomesOf(result);
        expect(outcomes.map((o) => (typeof o === 'string' ? o : 'ok'))).toEqual([
          'ok', 'INVALID_ARGUMENT', 'left out', 'RECORD_TOO_LARGE', 'ok', 'INVALID_ARGUMENT', 'ok', 'ok',
        ]);
        expect(result.errors.get(1)!.message).toMatch(/UTF-8/);
        expect(result.errors.get(5)!.message).toBe('no field "id"');
        const stored = await allRecords('ev');
        expect(stored.map((r) => r.data).sort()).toEqual(['a', '{"id":"k1"}', 'b', 'é'].sort());
        for (const record of stored) expect(record.partitionKey).toBe(record.data.length > 10 ? 'kk' : 'k');
      });

      it('refuses every line for an invalid key or explicit hash key', async () => {
        for (const options of [{ partitionKey: '' }, { partitionKey: 'k'.repeat(257) }, { explicitHashKey: '-1' }]) {
          const result = await s.putLines('ev', [blockOf(['a', 'b'])], options);
          expect(outcomesOf(result)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
        }
        expect(await allRecords('ev')).toEqual([]);
      });

      it('reports a missing stream', async () => {
        expect(await codeOf(s.putLines('nope', [blockOf(['a'])]))).toBe('STREAM_NOT_FOUND');
      });
    });

    describe('reading a shard', () => {
      beforeEach(async () => {
        await s.create('ev', { shardCount: 2 });
      });

      it('returns records in sequence order with data byte-identical to what was put (69)', async () => {
        const datas = ['plain', '', 'quote " and \\ backslash', 'new\nline', 'tab\there', 'é 日本 😀', '{"json":[1,2]}', '\u0000'];
        await putAll('ev', datas.map((data) => ({ data, partitionKey: 'same', explicitHashKey: '0' })));
        const records = await readShardAll('ev', S0);
        expect(records.map((r) => r.data)).toEqual(datas);
        expect(records.map((r) => r.partitionKey)).toEqual(datas.map(() => 'same'));
        expect(records.map((r) => r.sequence)).toEqual([...records.map((r) => r.sequence)].sort());
        expect(new Set(records.map((r) => r.sequence)).size).toBe(datas.length);
        for (const r of records) expect(r.shardId).toBe(S0);
      });

      it('keeps any bytes: data that is not UTF-8 reads back as the same bytes, or as base64 marked dataEncoding (69)', async () => {
        const binary = Buffer.from([0xff, 0x00, 0x0a, 0xc3, 0x28, 0x22, 0x5c, 0x80]);
        const text = Buffer.from('utf-8 bytes é');
        await putAll('ev', [{ data: binary, explicitHashKey: '0' }, { data: text, explicitHashKey: '0' }, { data: Buffer.alloc(0), explicitHashKey: '0' }]);
        const asBytes = await s.read('ev', S0, { type: 'trim-horizon' }, { dataAs: 'bytes' });
        expect(asBytes.records.map((r) => Buffer.from(r.data))).toEqual([binary, text, Buffer.alloc(0)]);
        const asStrings = await s.read('ev', S0, { type: 'trim-horizon' });
        expect(asStrings.records.map((r) => [r.data, r.dataEncoding])).toEqual([[binary.toString('base64'), 'base64'], ['utf-8 bytes é', undefined], ['', undefined]]);
        const copied = await s.readData('ev', S0, { type: 'trim-horizon' });
        expect(Buffer.from(copied.data)).toEqual(Buffer.concat([binary, Buffer.from('\n'), text, Buffer.from('\n\n')]));
      });

      it('starts TRIM_HORIZON at the oldest record and LATEST after the newest at the time of the read (70)', async () => {
        await putAll('ev', [{ data: 'a', explicitHashKey: '0' }, { data: 'b', explicitHashKey: '0' }]);
        const latest = await s.read('ev', S0, { type: 'latest' });
        expect(latest.records).toEqual([]);
        await putAll('ev', [{ data: 'c', explicitHashKey: '0' }]);
        expect((await s.read('ev', S0, latest.next)).records.map((r) => r.data)).toEqual(['c']);
        expect((await readShardAll('ev', S0)).map((r) => r.data)).toEqual(['a', 'b', 'c']);
      });

      it('includes the record at AT_SEQUENCE_NUMBER and excludes it after AFTER_SEQUENCE_NUMBER; another shard\'s number is refused (71)', async () => {
        const [, b] = await putAll('ev', ['a', 'b', 'c'].map((data) => ({ data, explicitHashKey: '0' })));
        expect((await s.read('ev', S0, { type: 'at-sequence', sequence: b!.sequence })).records.map((r) => r.data)).toEqual(['b', 'c']);
        expect((await s.read('ev', S0, { type: 'after-sequence', sequence: b!.sequence })).records.map((r) => r.data)).toEqual(['c']);
        expect(await codeOf(s.read('ev', S1, { type: 'at-sequence', sequence: b!.sequence }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(s.read('ev', S0, { type: 'at-sequence', sequence: '12' }))).toBe('INVALID_ARGUMENT');
      });

      it('starts AT_TIMESTAMP at the first record that arrived at or after it; a future time is refused (72)', async () => {
        await putAll('ev', [{ data: 'early', explicitHashKey: '0' }]);
        await sleep(30);
        const between = Date.now();
        await sleep(30);
        await putAll('ev', [{ data: 'late', explicitHashKey: '0' }]);
        expect((await s.read('ev', S0, { type: 'at-timestamp', timestamp: between })).records.map((r) => r.data)).toEqual(['late']);
        expect((await s.read('ev', S0, { type: 'at-timestamp', timestamp: 0 })).records.map((r) => r.data)).toEqual(['early', 'late']);
        expect(await codeOf(s.read('ev', S0, { type: 'at-timestamp', timestamp: Date.now() + 60_000 }))).toBe('INVALID_ARGUMENT');
      });

      it('honours a limit of 1 to 10,000 and continues exactly after the last record returned (73)', async () => {
        await putAll('ev', Array.from({ length: 10 }, (_, i) => ({ data: `d${i}`, explicitHashKey: '0' })));
        const first = await s.read('ev', S0, { type: 'trim-horizon' }, { limit: 4 });
        expect(first.records.map((r) => r.data)).toEqual(['d0', 'd1', 'd2', 'd3']);
        expect(first.caughtUp).toBe(false);
        const second = await s.read('ev', S0, first.next, { limit: 4 });
        expect(second.records.map((r) => r.data)).toEqual(['d4', 'd5', 'd6', 'd7']);
        for (const limit of [0, 10_001, 1.5]) expect(await codeOf(s.read('ev', S0, { type: 'trim-horizon' }, { limit }))).toBe('INVALID_ARGUMENT');
        expect((await s.read('ev', S0, { type: 'trim-horizon' }, { limit: 10_000 })).records).toHaveLength(10);
      });

      it('returns no records, a position to continue from and 0 ms behind when there is nothing new (74)', async () => {
        const empty = await s.read('ev', S0, { type: 'trim-horizon' });
        expect(empty).toMatchObject({ records: [], caughtUp: true, millisBehindLatest: 0 });
        expect(empty.next).toBeTruthy();
        await putAll('ev', [{ data: 'x', explicitHashKey: '0' }]);
        const after = await s.read('ev', S0, empty.next);
        expect(after.records.map((r) => r.data)).toEqual(['x']);
        expect(await s.read('ev', S0, after.next)).toMatchObject({ records: [], caughtUp: true, millisBehindLatest: 0 });
      });

      it('lets any number of readers read the same records: reading removes nothing (79)', async () => {
        await putAll('ev', ['a', 'b'].map((data) => ({ data, explicitHashKey: '0' })));
        const [one, two] = await Promise.all([readShardAll('ev', S0), readShardAll('ev', S0)]);
        expect(one.map((r) => r.data)).toEqual(['a', 'b']);
        expect(two).toEqual(one);
        expect(await readShardAll('ev', S0)).toEqual(one);
      });

      it('stops before the first record at or after `until`, and says the window is done', async () => {
        await putAll('ev', [{ data: 'early', explicitHashKey: '0' }]);
        await sleep(20);
        const between = Date.now();
        await sleep(20);
        await putAll('ev', [{ data: 'late', explicitHashKey: '0' }]);
        const window = await s.read('ev', S0, { type: 'trim-horizon' }, { until: between });
        expect(window).toMatchObject({ records: [{ data: 'early' }], caughtUp: true });
        expect((await s.read('ev', S0, window.next)).records.map((r) => r.data)).toEqual(['late']);
      });

      it('gives data as bytes on request, and only the data as newline-terminated lines from readData', async () => {
        const datas = ['plain', 'quote " é 😀', 'new\nline'];
        await putAll('ev', datas.map((data) => ({ data, explicitHashKey: '0' })));
        await putAll('ev', [{ data: Buffer.from('from bytes'), explicitHashKey: '0' }]);
        const asBytes = await s.read('ev', S0, { type: 'trim-horizon' }, { dataAs: 'bytes' });
        expect(asBytes.records.map((r) => Buffer.from(r.data).toString())).toEqual([...datas, 'from bytes']);
        const strings = await s.read('ev', S0, { type: 'trim-horizon' });
        expect(asBytes.records.map((r) => [r.sequence, r.partitionKey, r.arrivedAt])).toEqual(strings.records.map((r) => [r.sequence, r.partitionKey, r.arrivedAt]));
        const page = await s.readData('ev', S0, { type: 'trim-horizon' }, { limit: 2 });
        expect([Buffer.from(page.data).toString(), page.count, page.caughtUp]).toEqual(['plain\nquote " é 😀\n', 2, false]);
        const rest = await s.readData('ev', S0, page.next);
        expect([Buffer.from(rest.data).toString(), rest.count, rest.caughtUp]).toEqual(['new\nline\nfrom bytes\n', 2, true]);
        const [bad] = await s.put('ev', [{ data: 42 as never }]);
        expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
      });

      it('reads the last N records of one shard', async () => {
        await putAll('ev', Array.from({ length: 8 }, (_, i) => ({ data: `d${i}`, explicitHashKey: '0' })));
        expect((await s.read('ev', S0, { type: 'last', count: 3 })).records.map((r) => r.data)).toEqual(['d5', 'd6', 'd7']);
        expect((await s.read('ev', S0, { type: 'last', count: 30 })).records).toHaveLength(8);
        expect((await s.read('ev', S0, { type: 'last', count: 0 })).records).toEqual([]);
      });

      it('merges shards by arrival time, keeping each shard\'s order', async () => {
        for (let i = 0; i < 6; i++) {
          await putAll('ev', [{ data: `m${i}`, explicitHashKey: i % 2 ? MAX_HASH_KEY.toString() : '0' }]);
          await sleep(3);
        }
        const cursors = [S0, S1].map((shardId) => ({ shardId, position: { type: 'trim-horizon' } as StreamPosition }));
        const merged: StreamRecord[] = [];
        for await (const batch of readMerged(s, 'ev', cursors, { pageSize: 2 })) merged.push(...batch);
        expect(merged.map((r) => r.data)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
        expect((await readLast(s, 'ev', cursors, 2)).map((r) => r.data)).toEqual(['m4', 'm5']);
      });

      it('wakes a watcher when records are put', async () => {
        const watcher = await s.watch('ev');
        try {
          const started = Date.now();
          const woken = watcher.wait(5000);
          await sleep(50);
          await putAll('ev', [{ data: 'ping' }]);
          await woken;
          expect(Date.now() - started).toBeLessThan(1500);
        } finally {
          watcher.close();
        }
      });
    });

    describe('retention', () => {
      it('increases up to 8,760 h and decreases down to 24 h, refusing anything else (77)', async () => {
        await s.create('ev');
        expect((await s.setRetention('ev', 48 * 3_600_000)).attributes.retentionMs).toBe(48 * 3_600_000);
        expect((await s.setRetention('ev', 24 * 3_600_000)).attributes.retentionMs).toBe(24 * 3_600_000);
        expect(await codeOf(s.setRetention('ev', 23 * 3_600_000))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(s.setRetention('ev', 8761 * 3_600_000))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(s.setRetention('nope', 48 * 3_600_000))).toBe('STREAM_NOT_FOUND');
      });
    });

    describe('consumer groups', () => {
      beforeEach(async () => {
        await s.create('ev', { shardCount: 2 });
      });

      const shards = [S0, S1];
      // One run of a group: read everything after its checkpoints, then checkpoint what was read.
      const consume = async (group: string, start: StreamPosition = { type: 'latest' }) => {
        const cursors = await openGroupCursors(s, 'ev', group, shards, start);
        const seen: string[] = [];
        for await (const batch of readMerged(s, 'ev', cursors)) {
          seen.push(...batch.map((r) => r.data));
          for (const [shardId, sequence] of lastSequenceByShard(batch)) await s.setCheckpoint('ev', group, shardId, { sequence });
        }
        return seen;
      };
      const putBoth = (...datas: string[]) => putAll('ev', datas.map((data, i) => ({ data, explicitHashKey: i % 2 ? MAX_HASH_KEY.toString() : '0' })));

      it('start a new group at LATEST by default, or at TRIM_HORIZON on request, and keep that place (89)', async () => {
        await putBoth('old1', 'old2');
        expect(await consume('live')).toEqual([]);
        // Sorted: the two records of one put are on two shards, and no order across shards is promised.
        expect((await consume('all', { type: 'trim-horizon' })).sort()).toEqual(['old1', 'old2']);
        await putBoth('new1', 'new2');
        expect((await consume('live')).sort()).toEqual(['new1', 'new2']);
      });

      it('resume after the checkpoint: records not checkpointed are delivered again (90)', async () => {
        await consume('g');
        const [a, b] = await putBoth('a', 'b', 'c');
        await s.setCheckpoint('ev', 'g', S0, { sequence: a!.sequence });
        await s.setCheckpoint('ev', 'g', S1, { sequence: b!.sequence });
        expect(await consume('g')).toEqual(['c']);
        expect(await consume('g')).toEqual([]);
      });

      it('keep two groups independent: each receives every record (91)', async () => {
        await consume('one');
        await consume('two');
        await putBoth('x', 'y');
        expect((await consume('one')).sort()).toEqual(['x', 'y']);
        expect((await consume('two')).sort()).toEqual(['x', 'y']);
        expect(await consume('one')).toEqual([]);
      });

      it('report checkpoints and lag, refuse a foreign sequence number, and report a missing group', async () => {
        expect(await codeOf(s.checkpoints('ev', 'nobody'))).toBe('GROUP_NOT_FOUND');
        const [a] = await putBoth('a');
        expect(await codeOf(s.setCheckpoint('ev', 'g', S1, { sequence: a!.sequence }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(s.setCheckpoint('ev', 'bad/name', S0, { sequence: a!.sequence }))).toBe('INVALID_NAME');
        await s.setCheckpoint('ev', 'g', S0, { sentinel: 'TRIM_HORIZON' });
        expect(await s.checkpoints('ev', 'g')).toEqual({ [S0]: { sentinel: 'TRIM_HORIZON' } });
        const [lag] = await s.groups('ev');
        expect(lag).toMatchObject({ group: 'g', shardId: S0, lagRecords: 1 });
        await s.setCheckpoint('ev', 'g', S0, { sequence: a!.sequence });
        expect((await s.groups('ev'))[0]).toMatchObject({ checkpoint: { sequence: a!.sequence }, lagRecords: 0, lagMs: 0 });
      });
    });
  });
}
