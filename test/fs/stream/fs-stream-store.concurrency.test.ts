// Several real processes on one stream: concurrent writers to one shard get every sequence number once,
// a writer killed with SIGKILL in the middle of a batch leaves nothing half-written visible, and a
// follower sees records put by other processes within a second.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import type { ReadResult, StreamRecord } from '../../../src/core/stream-types.js';
import { describeRun, runMq, spawnMq } from '../../helpers/run-mq.js';
import { tempHome } from '../../helpers/tmp-home.js';

const WRITER = path.resolve('test/fixtures/stream-writer.mjs');
const SHARD = 'shardId-000000000000';

interface Ack {
  sequence: string;
  data: string;
}

function writer(home: string, args: { tag: string; batches: number; size: number; bytes: number; durability?: string }) {
  return execa(process.execPath, [WRITER, home, 'ev', args.tag, String(args.batches), String(args.size), String(args.bytes), args.durability ?? 'none'], { reject: false, stripFinalNewline: false });
}

// The complete lines of a writer's output (one killed mid-line leaves a partial last one).
function acks(stdout: string): Ack[] {
  return stdout.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Ack);
}

async function readShard(home: string): Promise<StreamRecord[]> {
  const streams = createFsBackend({ home }).streams;
  const records: StreamRecord[] = [];
  let position: Parameters<typeof streams.read>[2] = { type: 'trim-horizon' };
  for (;;) {
    const result: ReadResult = await streams.read('ev', SHARD, position);
    records.push(...result.records);
    position = result.next;
    if (result.caughtUp) return records;
  }
}

const counterOf = (sequence: string) => Number(sequence.slice(-20));

describe('concurrent stream writers', () => {
  it('three writer processes on one shard: no duplicate or missing sequence number, every acknowledged record readable', async () => {
    const home = tempHome();
    await createFsBackend({ home }).streams.create('ev', { shardCount: 2 });
    const input = Array.from({ length: 3000 }, (_, i) => `cli-${i}`).join('\n');
    const [a, b, cli] = await Promise.all([
      writer(home, { tag: 'a', batches: 150, size: 20, bytes: 60 }),
      writer(home, { tag: 'b', batches: 150, size: 20, bytes: 60, durability: 'fsync' }),
      runMq(['put', 'ev', '--explicit-hash-key', '0'], { home, input }),
    ]);
    expect([a.exitCode, a.stderr, b.exitCode, b.stderr]).toEqual([0, '', 0, '']);
    expect(cli.exitCode, describeRun(cli)).toBe(0);
    const cliAcks: Ack[] = cli.stdout.trim().split('\n').map((line, i) => ({ sequence: line.split(' ')[1]!, data: `cli-${i}` }));
    const acknowledged = [...acks(String(a.stdout)), ...acks(String(b.stdout)), ...cliAcks];
    expect(acknowledged).toHaveLength(9000);

    const records = await readShard(home);
    expect(records.map((r) => counterOf(r.sequence))).toEqual(Array.from({ length: 9000 }, (_, i) => i + 1));
    const stored = new Map(records.map((r) => [r.sequence, r.data]));
    for (const ack of acknowledged) expect(stored.get(ack.sequence)).toBe(ack.data);
    // Each writer's records keep its own order.
    for (const tag of ['a-', 'b-', 'cli-']) {
      const own = records.filter((r) => r.data.startsWith(tag)).map((r) => r.data);
      expect(own).toEqual(acknowledged.filter((k) => k.data.startsWith(tag)).map((k) => k.data));
    }
    for (let i = 1; i < records.length; i++) expect(records[i]!.arrivedAt).toBeGreaterThanOrEqual(records[i - 1]!.arrivedAt);
  });

  it('a writer killed with SIGKILL mid-batch never leaves a partial record visible, and the next put succeeds', async () => {
    const home = tempHome();
    // One big segment, so the test can watch a single file grow.
    const streams = createFsBackend({ home, streamSegmentBytes: 2 ** 30 }).streams;
    await streams.create('ev');
    const segment = path.join(home, 'streams', 'ev', 'shards', SHARD, '00000000000000000001.ndjson');
    const acknowledged: Ack[] = [];
    let tornTails = 0;
    for (let round = 0; round < 6; round++) {
      // A plain spawn: its output (megabytes) is read here as it comes, not buffered by execa.
      const victim = spawn(process.execPath, [WRITER, home, 'ev', `w${round}`, '0', '10000', '1000', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let newlines = 0;
      let stderr = '';
      victim.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => victim.on('close', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve) => {
        victim.stdout.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
          if (newlines >= 10_000) resolve();
        });
      });
      // Its first batch is acknowledged; kill it as soon as the next one starts landing in the file
      // (a 10 MB write), so the kill tears the batch and leaves the append lock behind.
      const ackedSize = fs.statSync(segment).size;
      while (fs.statSync(segment).size === ackedSize) await new Promise((resolve) => setImmediate(resolve));
      victim.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(stderr).toBe('');
      acknowledged.push(...acks(Buffer.concat(chunks).toString()));
      const raw = fs.readFileSync(segment);
      if (raw.at(-1) !== 0x0a) tornTails++;

      const records = await readShard(home);
      // Consecutive sequence numbers, only whole records, and every acknowledged one there.
      expect(records.findIndex((r, i) => counterOf(r.sequence) !== i + 1)).toBe(-1);
      expect(records.filter((r) => !/^(w\d-\d+-\d+-x+|after \d)$/.test(r.data) || (r.data.startsWith('w') && r.data.length !== 1000))).toEqual([]);
      const stored = new Map(records.map((r) => [r.sequence, r.data]));
      expect(acknowledged.filter((ack) => stored.get(ack.sequence) !== ack.data)).toEqual([]);

      const [next] = await streams.put('ev', [{ data: `after ${round}` }]);
      expect(next).toMatchObject({ ok: true, sequence: `1000000000000${String(records.length + 1).padStart(20, '0')}` });
      acknowledged.push({ sequence: (next as { sequence: string }).sequence, data: `after ${round}` });
      expect(fs.readFileSync(segment).at(-1)).toBe(0x0a);
    }
    // The kills did land inside writes (not only between batches).
    expect(tornTails).toBeGreaterThan(0);
  });
});

describe('checkpoints under SIGKILL', () => {
  it('a consumer killed while checkpointing leaves the old or the new checkpoint, never a damaged one', async () => {
    const home = tempHome();
    const streams = createFsBackend({ home }).streams;
    await streams.create('ev');
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const victim = spawn(process.execPath, [path.resolve('test/fixtures/checkpointer.mjs'), home, 'ev', 'g'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => victim.on('close', resolve));
      // Once it is checkpointing, let it run a little, then kill it wherever it is.
      const file = path.join(home, 'streams', 'ev', 'groups', 'g', `${SHARD}.json`);
      while (!fs.existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 17));
      victim.kill('SIGKILL');
      await exited;
      const checkpoints = await streams.checkpoints('ev', 'g');
      const checkpoint = checkpoints[SHARD] as { sequence: string };
      expect(checkpoint.sequence).toMatch(/^1000000000000\d{20}$/);
      seen.push(counterOf(checkpoint.sequence));
    }
    expect(seen.every((n) => n >= 1)).toBe(true);
  });
});

describe('following a stream', () => {
  it('tail -f prints records put by other processes as they arrive, and exits 130 on SIGINT', async () => {
    const home = tempHome();
    await runMq(['create-stream', 'ev', '--shards', '2'], { home });
    await runMq(['put', 'ev', 'before'], { home });
    const follower = spawnMq(['tail', 'ev', '-f', '-n', '1'], { home });
    let text = '';
    let onText = () => {};
    follower.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      onText();
    });
    const waitFor = (needle: string) => new Promise<number>((resolve, reject) => {
      // A generous deadline: a busy machine may take seconds to start a process.
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${needle}; got ${JSON.stringify(text)}`)), 120_000);
      onText = () => {
        if (!text.includes(needle)) return;
        clearTimeout(timer);
        resolve(Date.now());
      };
      onText();
    });
    await waitFor('before\n');
    for (const data of ['one', 'two']) {
      await runMq(['put', 'ev', data], { home });
      const storedAt = Date.now();
      const seenAt = await waitFor(`${data}\n`);
      // Idle, within a second of the put (inotify, or the one-second poll); loose for a busy machine.
      expect(seenAt - storedAt).toBeLessThan(10_000);
    }
    const writer = execa(process.execPath, [WRITER, home, 'ev', 'lib', '3', '2', '10', 'none'], { reject: false });
    await writer;
    await waitFor('lib-2-1-xx\n');
    follower.kill('SIGINT');
    const result = await follower;
    expect(result.exitCode).toBe(130);
    expect(text.split('\n').filter(Boolean)).toEqual(['before', 'one', 'two', 'lib-0-0-xx', 'lib-0-1-xx', 'lib-1-0-xx', 'lib-1-1-xx', 'lib-2-0-xx', 'lib-2-1-xx']);
  });
});
