// The acceptance scenarios of the NATS JetStream backend (issue 13), through the built CLI as separate
// processes, on the shared 3-node cluster and, for scenarios 1-9, on the file store too: the same
// commands, with only the store in the environment changed. Where the backends differ by design
// (BackendTraits), the scenario checks each one's documented behaviour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evenHashRanges, partitionKeyHash } from '../../src/core/hash-keys.js';
import { JetStreamClient } from '../../src/jetstream/client.js';
import { JetStreamNames } from '../../src/jetstream/names.js';
import { parseNatsUrl } from '../../src/jetstream/nats-url.js';
import { type RunResult, describeRun, expectRun, jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { NATS_URL, dropNamespace, freshNamespace } from './fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Store {
  kind: 'files' | 'nats';
  env: Record<string, string>;
  home: string;
  namespace: string;
}

interface Received {
  id: string;
  receipt: string;
  body: string;
  receiveCount: number;
  attributes: Record<string, string>;
  deadLetterSource?: string;
  group?: string;
  sequence?: string;
}

const STORES = ['files', 'nats'] as const;

describe('acceptance scenarios', () => {
  describe.each(STORES)('on %s', (kind) => {
    let store: Store;
    beforeEach(() => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-accept-'));
      const namespace = freshNamespace();
      store = { kind, home, namespace, env: kind === 'nats' ? { MQ_URL: NATS_URL, MQ_NAMESPACE: namespace } : {} };
    });
    afterEach(async () => {
      fs.rmSync(store.home, { recursive: true, force: true });
      if (kind === 'nats') await dropNamespace(NATS_URL, store.namespace);
    });

    const mq = (args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<RunResult> =>
      runMq(args, { home: store.home, env: { ...store.env, ...extraEnv }, ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 });
    const ok = async (args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<string> => {
      const result = await mq(args, input, extraEnv);
      expect(result.exitCode, `${args.join(' ')}\n${describeRun(result)}`).toBe(0);
      return result.stdout;
    };
    const receive = async (queue: string, ...flags: string[]) => jsonLines<Received>(await ok(['--json', 'receive', queue, ...flags]));
    const stats = async (queue: string) => jsonLines<Record<string, unknown>>(await ok(['--json', 'stats', queue]))[0]!;

    it('1. 1,000 sent; receives of 10 print receipts; separate mq ack processes delete them: nothing left', async () => {
      await ok(['create', 'jobs']);
      const ids = (await ok(['send', 'jobs'], Array.from({ length: 1000 }, (_, i) => `m${i}`).join('\n') + '\n')).trim().split('\n');
      expect(new Set(ids).size).toBe(1000);
      const first = await receive('jobs', '-n', '10');
      expect(first).toHaveLength(10);
      expect(first!.every((m) => typeof m.receipt === 'string' && m.receipt.length > 0)).toBe(true);
      const seen = new Set(first!.map((m) => m.id));
      const acks: Promise<string>[] = [ok(['ack', 'jobs'], first!.map((m) => m.receipt).join('\n'))];
      while (seen.size < 1000) {
        const batch = await receive('jobs', '-n', '100');
        expect(batch.length, `after ${seen.size}`).toBeGreaterThan(0);
        for (const m of batch) seen.add(m.id);
        for (let i = 0; i < batch.length; i += 10) acks.push(ok(['ack', 'jobs'], batch.slice(i, i + 10).map((m) => m.receipt).join('\n')));
      }
      await Promise.all(acks);
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
      if (kind === 'nats') {
        const client = new JetStreamClient(parseNatsUrl(NATS_URL));
        try {
          const info = await client.api<{ state: { messages: number } }>(`STREAM.INFO.${new JetStreamNames(store.namespace).queueStream('jobs')}`);
          expect(info.state.messages).toBe(0);
        } finally {
          await client.close();
        }
      }
    });

    it('2. a visibility timeout of 2 s: nothing meanwhile, then the message again with receiveCount 2', async () => {
      await ok(['create', 'jobs', '--visibility-timeout', '2s']);
      await ok(['send', 'jobs', 'once']);
      const started = Date.now();
      const [first] = await receive('jobs');
      expect(first).toMatchObject({ body: 'once', receiveCount: 1 });
      // A long poll from another process returns the moment the message is visible again: not before 2 s.
      const [again] = await receive('jobs', '--wait', '20s');
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(again).toMatchObject({ id: first!.id, receiveCount: 2 });
    });

    it('3. from other processes: extend hides past the timeout, nack shows it now, nack --delay 1s after 1 s; the first receipt while in flight', async () => {
      await ok(['create', 'jobs', '--visibility-timeout', '2s']);
      await ok(['send', 'jobs', 'job']);
      const [first] = await receive('jobs');
      await ok(['extend', 'jobs', first!.receipt, '6s']);
      await sleep(3000);
      expect(await receive('jobs')).toEqual([]);
      await ok(['nack', 'jobs', first!.receipt]);
      const [second] = await receive('jobs');
      expect(second).toMatchObject({ id: first!.id, receiveCount: 2 });
      const nacked = Date.now();
      await ok(['nack', 'jobs', second!.receipt, '--delay', '1s']);
      expect(await receive('jobs')).toEqual([]);
      const [third] = await receive('jobs', '--wait', '5s');
      expect(Date.now() - nacked).toBeGreaterThanOrEqual(1000);
      expect(third).toMatchObject({ id: first!.id, receiveCount: 3 });
      // The first delivery's receipt, used while the third delivery is in flight.
      const acked = await mq(['ack', 'jobs', first!.receipt]);
      if (kind === 'nats') {
        expectRun(acked, 0, '');
        expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
      } else {
        expectRun(acked, 4, '', /no longer valid|stale/);
        expectRun(await mq(['ack', 'jobs', third!.receipt]), 0, '');
      }
    });

    it('4. maxReceives 2 with two receivers: the message lands in the dead-letter queue once, intact', async () => {
      await ok(['create', 'jobs-dead']);
      await ok(['create', 'jobs', '--dlq', 'jobs-dead', '--max-receives', '2', '--visibility-timeout', '1s']);
      const [id] = (await ok(['send', 'jobs', 'poison {"x":1}', '--attr', 'kind=test'])).trim().split('\n');
      const receiver = async () => {
        const got: Received[] = [];
        for (let i = 0; i < 4; i++) got.push(...jsonLines<Received>(await ok(['--json', 'receive', 'jobs', '--wait', '2s', '--visibility-timeout', '1s'])));
        return got;
      };
      const deliveries = (await Promise.all([receiver(), receiver()])).flat();
      expect(deliveries.map((m) => m.receiveCount).sort()).toEqual([1, 2]);
      const dead = await receive('jobs-dead', '-n', '10');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id, body: 'poison {"x":1}', attributes: { kind: 'test' }, deadLetterSource: 'jobs' });
      expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
    });

    it('5. FIFO deduplication: the same id and sequence, also after an ack; content dedup; an expired window', async () => {
      await ok(['create', 'orders.fifo']);
      const send = async (body: string, ...flags: string[]) => {
        const { id, sequence, duplicate } = jsonLines<{ id: string; sequence: string; duplicate?: boolean }>(
          await ok(['--json', 'send', 'orders.fifo', body, '--group', 'g', ...flags]),
        )[0]!;
        return { id, sequence, ...(duplicate ? { duplicate } : {}) };
      };
      const original = await send('a', '--dedup-id', 'order-7');
      const repeat = await send('a again', '--dedup-id', 'order-7');
      expect(repeat).toEqual({ ...original, duplicate: true });
      const [received] = await receive('orders.fifo');
      await ok(['ack', 'orders.fifo', received!.receipt]);
      expect(await send('a third time', '--dedup-id', 'order-7')).toEqual({ ...original, duplicate: true });
      await ok(['create', 'content.fifo', '--content-dedup']);
      const sendContent = async (body: string) => jsonLines<{ id: string; duplicate?: boolean }>(await ok(['--json', 'send', 'content.fifo', body, '--group', 'g']))[0]!;
      const c1 = await sendContent('same body');
      expect(await sendContent('same body')).toMatchObject({ id: c1.id, duplicate: true });
      expect((await sendContent('other body')).duplicate).toBeUndefined();
      if (kind === 'nats') {
        // A 2 s window (the stream's duplicate window, shortened for the test) expires: the id sends anew.
        const client = new JetStreamClient(parseNatsUrl(NATS_URL));
        try {
          const stream = new JetStreamNames(store.namespace).queueStream('orders.fifo');
          const { config } = await client.api<{ config: Record<string, unknown> }>(`STREAM.INFO.${stream}`);
          await client.api(`STREAM.UPDATE.${stream}`, { ...config, duplicate_window: 2_000_000_000 });
          const fresh = await send('b', '--dedup-id', 'order-8');
          expect(await send('b', '--dedup-id', 'order-8')).toMatchObject({ id: fresh.id, duplicate: true });
          await sleep(3000);
          const after = await send('b', '--dedup-id', 'order-8');
          expect(after.duplicate).toBeUndefined();
          expect(after.id).not.toBe(fresh.id);
        } finally {
          await client.close();
        }
      }
    });

    it('6. FIFO order: A1 and B1 first, A2 only after A1\'s ack, an unacked A2 before A3; 1,000 in 10 groups through 2 mq work', async () => {
      await ok(['create', 'jobs.fifo', '--content-dedup', '--visibility-timeout', '30s']);
      for (const [body, group] of [['A1', 'A'], ['A2', 'A'], ['A3', 'A'], ['B1', 'B']]) await ok(['send', 'jobs.fifo', body!, '--group', group!]);
      const [one] = await receive('jobs.fifo');
      const [two] = await receive('jobs.fifo');
      expect([one!.body, two!.body].sort()).toEqual(['A1', 'B1']);
      expect(await receive('jobs.fifo')).toEqual([]);
      const a1 = one!.body === 'A1' ? one! : two!;
      await ok(['ack', 'jobs.fifo', a1.receipt]);
      const [a2] = await receive('jobs.fifo', '--visibility-timeout', '2s');
      expect(a2!.body).toBe('A2');
      // A2 is not acked: when its visibility is over it comes again, before A3.
      const again = (await receive('jobs.fifo', '-n', '10', '--wait', '20s')).filter((m) => m.group === 'A').map((m) => [m.body, m.receiveCount]);
      // The file store may fill the batch with A3 behind it; JetStream gives one per group.
      expect(again).toEqual(kind === 'nats' ? [['A2', 2]] : [['A2', 2], ['A3', 1]].slice(0, again.length));
      expect(again[0]).toEqual(['A2', 2]);

      await ok(['create', 'many.fifo', '--content-dedup']);
      const lines = Array.from({ length: 1000 }, (_, i) => `g${i % 10}:${Math.floor(i / 10)}`);
      for (let g = 0; g < 10; g++) {
        await ok(['send', 'many.fifo', '--group', `g${g}`], lines.filter((line) => line.startsWith(`g${g}:`)).join('\n') + '\n');
      }
      const log = path.join(store.home, 'handled.log');
      const work = () => ok(['work', 'many.fifo', '--until-empty', '--', 'sh', '-c', 'read body; printf "%s\\n" "$body" >> "$LOG"'], undefined, { LOG: log });
      await Promise.all([work(), work()]);
      const handled = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(handled.slice().sort()).toEqual(lines.slice().sort());
      for (let g = 0; g < 10; g++) {
        const order = handled.filter((line) => line.startsWith(`g${g}:`)).map((line) => Number(line.split(':')[1]));
        expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
      }
    });

    it('7. send --delay 2s: hidden for 2 s and counted as delayed, then received with receiveCount 1', async () => {
      await ok(['create', 'jobs']);
      const sent = Date.now();
      await ok(['send', 'jobs', 'later', '--delay', '2s']);
      // A receive and a count from other processes at once; on a machine so busy that they end after the
      // 2 s, what they saw says nothing.
      const [early, counted] = await Promise.all([receive('jobs'), stats('jobs')]);
      if (Date.now() - sent < 2000) {
        expect(early).toEqual([]);
        expect(counted).toMatchObject({ visible: 0, delayed: 1 });
      }
      const [message] = await receive('jobs', '--wait', '10s');
      expect(Date.now() - sent).toBeGreaterThanOrEqual(2000);
      expect(message).toMatchObject({ body: 'later', receiveCount: 1 });
    });

    it('8. 240 keyed puts go to the shards MD5 says; reads by position are exact; a split under 2 producers loses nothing', async () => {
      await ok(['create-stream', 'ev', '--shards', '4']);
      const ranges = evenHashRanges(4);
      const keys = Array.from({ length: 240 }, (_, i) => `key-${i}`);
      const input = keys.map((key, i) => JSON.stringify({ k: key, n: i })).join('\n') + '\n';
      const put = jsonLines<{ shard: string; sequence: string }>(await ok(['--json', 'put', 'ev', '--key-field', 'k'], input));
      expect(put).toHaveLength(240);
      put.forEach((result, i) => {
        const hash = partitionKeyHash(keys[i]!);
        const shard = ranges.findIndex((r) => r.start <= hash && hash <= r.end);
        expect([keys[i], result.shard]).toEqual([keys[i], `shardId-${String(shard).padStart(12, '0')}`]);
      });
      // Reads of shard 0: trim-horizon, at/after a sequence, a time, latest.
      const inShard0 = put.map((r, i) => ({ ...r, n: i })).filter((r) => r.shard === 'shardId-000000000000');
      const tail = async (...flags: string[]) => jsonLines<{ sequence: string; data: string }>(await ok(['--json', 'tail', 'ev', '--shard', '0', ...flags]));
      expect((await tail('--from', 'trim-horizon')).map((r) => r.sequence)).toEqual(inShard0.map((r) => r.sequence));
      const middle = inShard0[Math.floor(inShard0.length / 2)]!;
      const fromMiddle = inShard0.filter((r) => r.sequence >= middle.sequence).map((r) => r.sequence);
      expect((await tail('--from', `at:${middle.sequence}`)).map((r) => r.sequence)).toEqual(fromMiddle);
      expect((await tail('--from', `after:${middle.sequence}`)).map((r) => r.sequence)).toEqual(fromMiddle.slice(1));
      await sleep(50);
      const between = new Date().toISOString();
      await sleep(50);
      const later = jsonLines<{ shard: string; sequence: string }>(await ok(['--json', 'put', 'ev', '--explicit-hash-key', '0', 'late-1', 'late-2']));
      expect((await tail('--from', between)).map((r) => r.data)).toEqual(['late-1', 'late-2']);
      expect(await tail('--from', 'latest')).toEqual([]);
      expect(later.map((r) => r.shard)).toEqual(['shardId-000000000000', 'shardId-000000000000']);

      // Two producers put while shard 1 splits.
      const producer = (name: string) => {
        const child = spawnMq(['--json', 'put', 'ev', '--key-field', 'k'], { home: store.home, env: store.env, input: undefined });
        let n = 0;
        const timer = setInterval(() => {
          const lines = Array.from({ length: 20 }, () => JSON.stringify({ k: `${name}-${n % 16}`, n: n++ })).join('\n');
          child.stdin!.write(`${lines}\n`);
        }, 20);
        return { stop: () => { clearInterval(timer); child.stdin!.end(); return child; } };
      };
      const producers = [producer('p'), producer('q')];
      await sleep(700);
      const split = jsonLines<{ shardId: string }>(await ok(['--json', 'split', 'ev', '1']));
      expect(split).toHaveLength(2);
      await sleep(700);
      const results = await Promise.all(producers.map((p) => p.stop()));
      const acked = results.flatMap((r) => {
        expect(r.exitCode, String(r.stderr)).toBe(0);
        return jsonLines<{ shard: string; sequence: string }>(String(r.stdout));
      });
      expect(acked.some((a) => a.shard === 'shardId-000000000001')).toBe(true);
      expect(acked.some((a) => split.some((c) => c.shardId === a.shard))).toBe(true);
      const shards = jsonLines<{ shardId: string; state: string; sequenceNumberRange: { endingSequenceNumber?: string } }>(await ok(['--json', 'shards', 'ev']));
      const closed = shards.find((s) => s.shardId === 'shardId-000000000001')!;
      expect(closed.state).toBe('closed');
      const ending = closed.sequenceNumberRange.endingSequenceNumber!;
      const stored = jsonLines<{ shard: string; sequence: string }>(await ok(['--json', 'tail', 'ev', '--from', 'trim-horizon']));
      const storedKeys = new Set(stored.map((r) => `${r.shard}/${r.sequence}`));
      for (const a of acked) expect(storedKeys.has(`${a.shard}/${a.sequence}`)).toBe(true);
      expect(stored.filter((r) => r.shard === 'shardId-000000000001').every((r) => r.sequence <= ending)).toBe(true);
      expect(new Set(stored.map((r) => `${r.shard}/${r.sequence}`)).size).toBe(stored.length);
    });

    it('9. tail --group stops at 50 and resumes at 51 in a new process; concurrent checkpoints never go back', async () => {
      await ok(['create-stream', 'ev']);
      await ok(['put', 'ev'], Array.from({ length: 100 }, (_, i) => `r${i + 1}`).join('\n') + '\n');
      expect((await ok(['tail', 'ev', '--group', 'g', '--from', 'trim-horizon', '-n', '50'])).trim().split('\n')).toEqual(
        Array.from({ length: 50 }, (_, i) => `r${i + 1}`),
      );
      expect((await ok(['tail', 'ev', '--group', 'g', '-n', '1'])).trim()).toBe('r51');
      const runs = await Promise.all(Array.from({ length: 5 }, () => mq(['--json', 'tail', 'ev', '--group', 'h', '--from', 'trim-horizon', '-n', '20'])));
      const printed = runs.flatMap((r) => {
        expect(r.exitCode, describeRun(r)).toBe(0);
        return jsonLines<{ sequence: string }>(r.stdout).map((x) => x.sequence);
      });
      const highest = printed.sort().at(-1)!;
      const [row] = jsonLines<{ checkpoint: string }>(await ok(['--json', 'groups', 'ev', 'h']));
      expect(row!.checkpoint).toBe(highest);
    });
  });
});
