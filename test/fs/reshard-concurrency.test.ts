// Resharding while other processes keep putting, and leases under SIGKILL: every acknowledged record is
// readable exactly once, in order per key through a group; no record lands in a closed shard after its
// ending sequence number; a leased consumer killed at any point leaves its lease and checkpoint files
// whole (the old value or the new one).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import type { StreamStore } from '../../src/core/stream-store.js';
import type { ReadResult, StreamRecord } from '../../src/core/stream-types.js';
import { readGroup } from '../../src/core/stream-groups.js';
import { lastSequenceByShard } from '../../src/core/stream-reader.js';
import { tempHome } from '../helpers/tmp-home.js';

const WRITER = path.resolve('test/fixtures/keyed-writer.mjs');
const CHECKPOINTER = path.resolve('test/fixtures/lease-checkpointer.mjs');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Ack {
  key: string;
  n: number;
  shard: string;
  sequence: string;
}

async function readShard(store: StreamStore, shardId: string): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  let position: Parameters<StreamStore['read']>[2] = { type: 'trim-horizon' };
  for (;;) {
    const result: ReadResult = await store.read('ev', shardId, position);
    records.push(...result.records);
    position = result.next;
    if (result.caughtUp) return records;
  }
}

describe('resharding while other processes put', () => {
  it('keeps every acknowledged record exactly once, none after a closed shard\'s end, in order per key through a group (83, 86)', async () => {
    const home = tempHome();
    const store = createFsBackend({ home, durability: 'none' }).streams;
    await store.create('ev', { shardCount: 2 });
    const stop = path.join(home, 'stop');
    const writers = [['a0', 'a1', 'a2', 'a3', 'a4'], ['b0', 'b1', 'b2', 'b3', 'b4']].map((keys) =>
      execa(process.execPath, [WRITER, home, 'ev', keys.join(','), stop], { reject: false, stripFinalNewline: false }));
    // Records each writer has acknowledged so far (one line each), to reshard between puts: before each
    // change, every writer acknowledges something more, however slowly the processes run.
    const acked = writers.map(() => 0);
    writers.forEach((writer, i) => writer.stdout!.on('data', (chunk: Buffer) => { acked[i]! += chunk.toString().split('\n').length - 1; }));
    const morePuts = async () => {
      const target = acked.map((n) => n + 1);
      const deadline = Date.now() + 60_000;
      while (acked.some((n, i) => n < target[i]!)) {
        if (Date.now() > deadline) throw new Error(`the writers stopped acknowledging puts (${acked.join(', ')})`);
        await sleep(5);
      }
    };
    // Reshard under the writers: splits, merges and shard-count changes.
    const open = async () => (await store.get('ev')).shards.filter((s) => s.state === 'open')
      .sort((x, y) => (BigInt(x.hashKeyRange.startingHashKey) < BigInt(y.hashKeyRange.startingHashKey) ? -1 : 1));
    const changes: (() => Promise<unknown>)[] = [
      async () => store.splitShard('ev', (await open())[0]!.shardId),
      async () => store.updateShardCount('ev', 4),
      async () => store.splitShard('ev', (await open())[1]!.shardId),
      async () => { const [x, y] = await open(); return store.mergeShards('ev', x!.shardId, y!.shardId); },
      async () => store.updateShardCount('ev', 3),
      async () => store.updateShardCount('ev', 6),
      async () => store.updateShardCount('ev', 3),
      async () => store.updateShardCount('ev', 2),
      async () => store.updateShardCount('ev', 1),
    ];
    await morePuts();
    for (const change of changes) {
      await change();
      await morePuts();
    }
    fs.writeFileSync(stop, '');
    const results = await Promise.all(writers);
    for (const result of results) expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const acks = results.flatMap((r) => String(r.stdout).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Ack));

    const info = await store.get('ev');
    expect(info.openShardCount).toBe(1);
    const stored = new Map<string, StreamRecord>();
    for (const shard of info.shards) {
      const records = await readShard(store, shard.shardId);
      if (shard.state === 'closed') {
        const ending = shard.sequenceNumberRange.endingSequenceNumber!;
        expect(records.filter((r) => r.sequence > ending)).toEqual([]);
        if (records.length > 0) expect(records.at(-1)!.sequence).toBe(ending);
      }
      for (const record of records) {
        expect(stored.has(record.data)).toBe(false);
        stored.set(record.data, record);
      }
    }
    // Exactly the acknowledged records, each where its acknowledgement said.
    expect(stored.size).toBe(acks.length);
    for (const ack of acks) expect(stored.get(`${ack.key}:${ack.n}`)).toMatchObject({ shardId: ack.shard, sequence: ack.sequence, partitionKey: ack.key });
    // The reshards landed among the puts: records before and after them, in parents and children.
    expect(info.shards.filter((s) => s.state === 'closed' && s.parentShardId !== undefined).length).toBeGreaterThan(0);
    expect(new Set(acks.map((a) => a.shard)).size).toBeGreaterThan(4);

    // Through a group, in lineage order: every record once, each key's records in put order.
    const seen: StreamRecord[] = [];
    for await (const batch of readGroup(store, 'ev', 'check', { start: { type: 'trim-horizon' } })) {
      seen.push(...batch);
      for (const [shardId, sequence] of lastSequenceByShard(batch)) await store.setCheckpoint('ev', 'check', shardId, { sequence });
    }
    expect(seen).toHaveLength(acks.length);
    for (const key of new Set(acks.map((a) => a.key))) {
      const ns = seen.filter((r) => r.partitionKey === key).map((r) => Number(r.data.split(':')[1]));
      expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
    }
  });
});

describe('leases under SIGKILL', () => {
  it('a leased consumer killed at any point leaves a whole lease and checkpoint, and its lease is taken over after expiry (98)', async () => {
    const home = tempHome();
    const store = createFsBackend({ home }).streams;
    await store.create('ev');
    const group = path.join(home, 'streams', 'ev', 'groups', 'g');
    let lastCounter = 0;
    for (let round = 0; round < 5; round++) {
      const victim = spawn(process.execPath, [CHECKPOINTER, home, 'ev', 'g', `w${round}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      victim.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise((resolve) => victim.on('close', resolve));
      // Once it holds the lease and checkpoints, let it run a little, then kill it wherever it is.
      const lease = path.join(group, 'shardId-000000000000.lease');
      const checkpointFile = path.join(group, 'shardId-000000000000.json');
      const owns = () => fs.existsSync(lease) && fs.readFileSync(lease, 'utf8').includes(`"w${round}"`) && fs.existsSync(checkpointFile);
      while (!owns() && victim.exitCode === null) await sleep(5);
      await sleep(30 + round * 13);
      victim.kill('SIGKILL');
      await exited;
      expect(stderr).toBe('');
      const [stored] = await store.leases('ev', 'g');
      expect(stored).toMatchObject({ shardId: 'shardId-000000000000', owner: `w${round}` });
      expect(stored!.counter).toBeGreaterThan(lastCounter);
      lastCounter = stored!.counter;
      const checkpoint = (await store.checkpoints('ev', 'g'))['shardId-000000000000'] as { sequence: string };
      expect(checkpoint.sequence).toMatch(/^1000000000000\d{20}$/);
      // The next round's worker waits for this lease to expire (1 s), then takes it over.
    }
  });
});
