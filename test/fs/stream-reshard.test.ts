// File-store resharding details that need a fake clock or a look inside: closed shards expire from the
// listing once their closing is past retention (and not before), the ending sequence number after a torn
// tail, the closed marker that makes a put routed with an old map route again, a marker left by a dead
// resharder, and lease expiry by the store's clock.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/queue-attributes.js';
import { hashKeyHex } from '../../src/core/hash-keys.js';
import { createRandomKeyFactory } from '../../src/core/stream-records.js';
import type { StreamStore } from '../../src/core/stream-store.js';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { StoreLayout } from '../../src/fs/layout.js';
import { type EncodedRecords, appendToShard } from '../../src/fs/stream/append.js';
import { ShardFiles } from '../../src/fs/stream/shard-files.js';
import { readStreamConfig } from '../../src/fs/stream/stream-config.js';
import type { StreamContext } from '../../src/fs/stream/stream-context.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempHome } from '../helpers/tmp-home.js';

const S = (n: number) => `shardId-${String(n).padStart(12, '0')}`;

describe('file store resharding', () => {
  let clock: FakeClock;
  let home: string;
  let s: StreamStore;
  const shardDir = (n: number) => path.join(home, 'streams', 'ev', 'shards', S(n));
  const put = async (data: string, explicitHashKey = '0') => {
    const [outcome] = await s.put('ev', [{ data, explicitHashKey }]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!;
  };
  // The context a put builds when it opens the stream: a map read now, used later.
  const contextNow = (): StreamContext => {
    const store = new StoreLayout(home);
    const layout = store.stream('ev');
    return {
      env: { store, clock, segmentBytes: 1 << 20, randomKey: createRandomKeyFactory(randomBytes) },
      name: 'ev', layout, config: readStreamConfig('ev', layout), durable: false,
    };
  };
  const records = (data: string): EncodedRecords => ({ encode: (writer, first, at) => writer.append(first, at, '"k"', data) });

  beforeEach(async () => {
    clock = new FakeClock();
    home = tempHome();
    s = createFsBackend({ home, clock }).streams;
    await s.create('ev', { shardCount: 1 });
  });

  it('lists a closed shard until its closing is past retention, then no longer (87)', async () => {
    await put('old');
    clock.advance(HOUR);
    await s.splitShard('ev', S(0));
    await put('new');
    clock.advance(24 * HOUR - 1);
    expect((await s.get('ev')).shards.map((x) => x.shardId)).toEqual([S(0), S(1), S(2)]);
    // The record itself expired an hour ago; the shard goes once the closing has too.
    expect((await s.read('ev', S(0), { type: 'trim-horizon' })).records).toEqual([]);
    clock.advance(1);
    const info = await s.get('ev');
    expect(info.shards.map((x) => x.shardId)).toEqual([S(1), S(2)]);
    expect([info.shardCount, info.openShardCount]).toEqual([2, 2]);
    expect((await s.describe('ev')).shards.map((x) => x.shardId)).toEqual([S(1), S(2)]);
    // The expired parent no longer holds its children back.
    await s.setCheckpoint('ev', 'g', S(1), { sentinel: 'TRIM_HORIZON' });
    expect((await s.groups('ev')).map((g) => g.shardId)).toEqual([S(1)]);
  });

  it('closes a shard at its last complete record, cutting off a torn tail left by a killed writer', async () => {
    await put('a');
    const { sequence } = await put('b');
    const segment = path.join(shardDir(0), fs.readdirSync(shardDir(0)).find((f) => f.endsWith('.ndjson'))!);
    fs.appendFileSync(segment, '{"s":"100000000000000000000000000000003","t":1,"k":"k","d":"tor');
    const { closed } = await s.splitShard('ev', S(0));
    expect(closed[0]!.sequenceNumberRange.endingSequenceNumber).toBe(sequence);
    expect(fs.readFileSync(segment, 'utf8').endsWith('\n')).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(shardDir(0), 'closed'), 'utf8'))).toEqual({ endingCounter: 2 });
  });

  it('makes a put that routed with the map from before a split route again to the children', async () => {
    const before = contextNow();
    await s.splitShard('ev', S(0));
    const stale = await appendToShard(before, new ShardFiles(before.layout.shard(S(0)), 0), records('late'));
    expect(stale.closed).toBe(true);
    expect(stale.closed && stale.config.shards.map((x) => x.state)).toEqual(['closed', 'open', 'open']);
    expect(fs.readdirSync(shardDir(0)).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  });

  it('removes a closed marker left by a resharder that died before publishing the map, and appends', async () => {
    fs.writeFileSync(path.join(shardDir(0), 'closed'), '{"endingCounter":0}\n');
    const ctx = contextNow();
    const result = await appendToShard(ctx, new ShardFiles(ctx.layout.shard(S(0)), 0), records('x'));
    expect(result.closed).toBe(false);
    expect(fs.existsSync(path.join(shardDir(0), 'closed'))).toBe(false);
    expect(await put('y')).toMatchObject({ shardId: S(0), sequence: '100000000000000000000000000000002' });
  });

  it('routes every record of one put to the open shards only, whatever the keys', async () => {
    await s.updateShardCount('ev', 2);
    const outcomes = await s.put('ev', Array.from({ length: 50 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })));
    expect(new Set(outcomes.map((o) => o.ok && o.shardId))).toEqual(new Set([S(1), S(2)]));
    expect(hashKeyHex(0n)).toHaveLength(32);
  });

  it('takes over a lease once the store clock passes its expiry, not before (93)', async () => {
    const lease = (await s.takeLease('ev', 'g', S(0), 'w1', 10_000))!;
    clock.advance(9_999);
    expect(await s.takeLease('ev', 'g', S(0), 'w2', 10_000)).toBeNull();
    clock.advance(1);
    expect(await s.takeLease('ev', 'g', S(0), 'w2', 10_000)).toMatchObject({ owner: 'w2', counter: 2, expiresAt: clock.now() + 10_000 });
    expect(await s.renewLease('ev', 'g', lease, 10_000)).toBeNull();
  });

  it('keeps lease and worker files private and in the documented format', async () => {
    await s.takeLease('ev', 'g', S(0), 'w1', 10_000);
    await s.announceWorker('ev', 'g', 'w1', 10_000);
    const group = path.join(home, 'streams', 'ev', 'groups', 'g');
    const lease = path.join(group, `${S(0)}.lease`);
    expect(JSON.parse(fs.readFileSync(lease, 'utf8'))).toEqual({ version: 1, owner: 'w1', counter: 1, expiresAt: clock.now() + 10_000, updatedAt: clock.now() });
    expect(fs.statSync(lease).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(group, 'workers', 'w1.json'), 'utf8'))).toMatchObject({ workerId: 'w1', expiresAt: clock.now() + 10_000 });
    expect(fs.readdirSync(group).sort()).toEqual([`${S(0)}.lease`, 'workers']);
  });
});
