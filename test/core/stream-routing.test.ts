// Routing a put: the checks of each record in one order, whatever the form (requests or lines of bytes),
// grouping by open shard in put order, keyless records spread over the shards, and routing again only
// the records whose shard closed.
import { describe, expect, it } from 'vitest';
import { MqError } from '../../src/core/errors.js';
import { hashKeyHex, partitionKeyHashHex } from '../../src/core/hash-keys.js';
import { initialShardMap } from '../../src/core/shard-map.js';
import { LineSource, type PutSource, RequestSource, RoutingCache, StreamRouting, routePut } from '../../src/core/stream-routing.js';
import type { LineBlock, PutLinesOptions, PutRequest } from '../../src/core/stream-types.js';

const counterKeys = () => {
  let n = 0;
  return () => `k${n++}`;
};

function route(source: PutSource, shards = 4, max = 1024, only?: number[]) {
  const refused: [number, string, string][] = [];
  const leftOut: number[] = [];
  const batches = routePut(new StreamRouting(initialShardMap(shards, 0), counterKeys()), source, max, {
    refused: (i, error: MqError) => refused.push([i, error.code, error.message]),
    leftOut: (i) => leftOut.push(i),
  }, only);
  const placed = [...batches.values()].sort((a, b) => a.shard.index - b.shard.index)
    .map((batch) => ({ shard: batch.shard.index, indexes: batch.indexes, keys: batch.keys.map((k) => k.key) }));
  return { placed, refused, leftOut };
}

// The lines given, as one block of bytes (null: a line the caller left out).
function block(lines: (string | Buffer | null)[]): LineBlock {
  const parts: Buffer[] = [];
  const starts = new Int32Array(lines.length);
  const ends = new Int32Array(lines.length);
  let at = 0;
  lines.forEach((line, i) => {
    const bytes = line === null ? Buffer.from('x') : Buffer.isBuffer(line) ? line : Buffer.from(line);
    starts[i] = line === null ? -1 : at;
    ends[i] = at + bytes.length;
    parts.push(bytes, Buffer.from('\n'));
    at += bytes.length + 1;
  });
  return { bytes: Buffer.concat(parts), starts, ends, count: lines.length };
}

const lines = (texts: (string | Buffer | null)[], options: PutLinesOptions = {}) => new LineSource([block(texts)], options);

describe('routePut', () => {
  it('routes a key to the open shard holding its MD5, grouping each shard in put order', () => {
    const { placed, refused } = route(new RequestSource(['a', 'b', 'c', 'd', 'e'].map((k) => ({ data: 'x', partitionKey: k }))));
    expect(refused).toEqual([]);
    const byKey = Object.fromEntries(placed.flatMap((p) => p.keys.map((k) => [k, p.shard])));
    const router = new StreamRouting(initialShardMap(4, 0), counterKeys()).router;
    for (const key of ['a', 'b', 'c', 'd', 'e']) expect([key, byKey[key]]).toEqual([key, router(partitionKeyHashHex(key)).index]);
    for (const p of placed) expect(p.indexes).toEqual([...p.indexes].sort((a, b) => a - b));
  });

  it('routes requests and lines of the same records alike, and an explicit hash key overrides the key', () => {
    const texts = ['{"u":1}', '{"u":2}', '{"u":3}', '{"u":4}'];
    const explicit = (3n << 126n).toString();
    const asRequests = route(new RequestSource(texts.map((data) => ({ data, partitionKey: 'same', explicitHashKey: explicit }))));
    const asLines = route(lines(texts, { partitionKey: 'same', explicitHashKey: explicit }));
    expect(asLines).toEqual(asRequests);
    expect(asRequests.placed).toEqual([{ shard: 3, indexes: [0, 1, 2, 3], keys: ['same', 'same', 'same', 'same'] }]);
  });

  it('checks each record in one order: key read, data, key length, size, explicit hash key', () => {
    const bad = Buffer.from([0x66, 0xff]);
    // A line whose key cannot be read reports that before its bad UTF-8.
    const keyFirst = lines([bad], { partitionKeyOf: () => {
      throw new MqError('INVALID_ARGUMENT', 'line has no key');
    } });
    expect(route(keyFirst).refused).toEqual([[0, 'INVALID_ARGUMENT', 'line has no key']]);
    // Bad UTF-8 before an empty key; an empty key before the size; the size before a bad explicit key.
    const requests: PutRequest[] = [
      { data: bad, partitionKey: '' },
      { data: 'x'.repeat(2000), partitionKey: '' },
      { data: 'x'.repeat(2000), partitionKey: 'k', explicitHashKey: 'nope' },
      { data: 'x', partitionKey: 'k', explicitHashKey: 'nope' },
    ];
    expect(route(new RequestSource(requests)).refused.map(([i, code, message]) => [i, code, message.split(' ').slice(0, 3).join(' ')])).toEqual([
      [0, 'INVALID_ARGUMENT', 'record data is'],
      [1, 'INVALID_ARGUMENT', 'partition key is'],
      [2, 'RECORD_TOO_LARGE', 'record is 2001'],
      [3, 'INVALID_ARGUMENT', 'invalid explicit hash'],
    ]);
  });

  it('counts data plus key in UTF-8 bytes against the maximum record size', () => {
    const sizes = (records: PutRequest[]) => route(new RequestSource(records), 1, 1024).refused.map(([i, code]) => [i, code]);
    expect(sizes([{ data: 'x'.repeat(1020), partitionKey: 'kkkk' }, { data: 'x'.repeat(1020), partitionKey: 'kkkkk' }])).toEqual([[1, 'RECORD_TOO_LARGE']]);
    expect(sizes([{ data: 'é'.repeat(511), partitionKey: 'kk' }, { data: 'é'.repeat(512), partitionKey: 'k' }])).toEqual([[1, 'RECORD_TOO_LARGE']]);
    expect(route(lines(['x'.repeat(1021), 'x'.repeat(1022)], { partitionKey: 'kkk' }), 1, 1024).refused.map(([i, code]) => [i, code])).toEqual([[1, 'RECORD_TOO_LARGE']]);
  });

  it('reports lines the caller left out, and refuses non-text data given as an object', () => {
    const { placed, leftOut } = route(lines(['a', null, 'b'], { partitionKey: 'k' }));
    expect(leftOut).toEqual([1]);
    expect(placed.flatMap((p) => p.indexes)).toEqual([0, 2]);
    expect(route(new RequestSource([{ data: 42 as unknown as string }])).refused[0]!.slice(0, 2)).toEqual([0, 'INVALID_ARGUMENT']);
  });

  it('spreads keyless records round-robin over the open shards, each under a key that routes to its shard', () => {
    const { placed } = route(new RequestSource(Array.from({ length: 8 }, () => ({ data: 'x' }))));
    expect(placed.map((p) => [p.shard, p.indexes])).toEqual([[0, [0, 4]], [1, [1, 5]], [2, [2, 6]], [3, [3, 7]]]);
    const router = new StreamRouting(initialShardMap(4, 0), counterKeys()).router;
    for (const p of placed) for (const key of p.keys) expect(router(partitionKeyHashHex(key)).index).toBe(p.shard);
  });

  it('routes only the records asked for when their shard closed under them', () => {
    const { placed } = route(new RequestSource(['a', 'b', 'c'].map((k) => ({ data: 'x', partitionKey: k }))), 1, 1024, [2, 0]);
    expect(placed).toEqual([{ shard: 0, indexes: [2, 0], keys: ['c', 'a'] }]);
  });
});

describe('RoutingCache', () => {
  it('keeps one routing per stream while its open shards stay the same', () => {
    const cache = new RoutingCache(counterKeys());
    const shards = initialShardMap(2, 0);
    const first = cache.for('ev', shards);
    expect(cache.for('ev', initialShardMap(2, 5))).toBe(first);
    expect(cache.for('other', shards)).not.toBe(first);
    expect(cache.for('ev', initialShardMap(3, 0))).not.toBe(first);
    expect(first.explicit('0').index).toBe(0);
    expect(first.explicit((1n << 127n).toString()).index).toBe(1);
    expect(hashKeyHex(1n)).toHaveLength(32);
  });
});
