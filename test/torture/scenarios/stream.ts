// Streams: producers put batches (library, with small segments that roll often, and `mq put` from
// stdin) with random partition keys and explicit hash keys; one consumer group reads with
// `mq tail --group` (checkpoint after printing), another through the library (read, then checkpoint);
// a reader scans whole shards while all this goes on; every process is killed at random points.
// Afterwards: every segment line whole with a good checksum, counters consecutive, every acknowledged put
// stored as acknowledged, every record a reader once saw still there, and each group has read everything.
import fs from 'node:fs';
import path from 'node:path';
import { openBackend } from '../../../src/index.js';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import { openGroupCursors } from '../../../src/core/stream-groups.js';
import type { ReadResult, StreamPosition } from '../../../src/core/stream-types.js';
import type { SegmentRecord } from '../../helpers/segment-check.js';
import { makeBody, verifyBody } from '../bodies.js';
import { type Entry, type WorkerContext, countOperations, defineScenario } from '../scenario.js';
import { runCli, sleep } from '../support.js';
import { scanStore } from '../../helpers/segment-check.js';
import {
  type AckedPut, type Scan, type StoredRecord, checkGroupCovered, checkGroupReads, checkPutsStored, checkRecordsWhole, checkScans, rollHash,
} from '../checks/stream-checks.js';

const STREAM = 'events';
const GROUPS = ['cli', 'lib'];
const KEYS = ['user-1', 'user-2', 'user-3', 'order-9', 'k'];

export const scenario = defineScenario({
  name: 'stream',
  description: 'stream: put, tail --group, read and checkpoint under SIGKILL',
  roles: [
    { name: 'producer', slots: 2, kills: ['put'] },
    { name: 'tailer', slots: 1, kills: ['tail'] },
    { name: 'group-reader', slots: 1, kills: ['read', 'checkpoint'] },
    { name: 'scanner', slots: 1, kills: ['scan'] },
  ],
  async setup(env) {
    const shards = env.rng.int(1, 4);
    env.params = { shards };
    const streams = openBackend({ home: env.home }).streams;
    await streams.create(STREAM, { shardCount: shards, durability: env.rng.pick(['fsync', 'none'] as const) });
    const info = await streams.get(STREAM);
    for (const group of GROUPS) {
      for (const shard of info.shards) await streams.setCheckpoint(STREAM, group, shard.shardId, { sentinel: 'TRIM_HORIZON' });
    }
  },
  async work(role, w) {
    if (role === 'producer') await produce(w);
    else if (role === 'tailer') await tail(w);
    else if (role === 'group-reader') await readAsGroup(w);
    else await scan(w);
  },
  async recover(env) {
    const streams = openBackend({ home: env.home }).streams;
    const info = await streams.describe(STREAM);
    const checkpoints = Object.fromEntries(await Promise.all(GROUPS.map(async (g) => [g, await streams.checkpoints(STREAM, g)] as const)));
    // One put per shard: the writer that comes after a killed one cuts off its torn tail.
    for (const shard of info.shards) {
      const [outcome] = await streams.put(STREAM, [{ data: makeBody(`marker.${shard.shardId}`, env.rng), explicitHashKey: shard.hashKeyRange.startingHashKey }]);
      if (!outcome?.ok) throw new Error(`marker put failed: ${JSON.stringify(outcome)}`);
    }
    const raw = scanStore(env.home);
    // The same records through the store's own reader.
    const viaReader = new Map<string, string[]>();
    for (const shard of info.shards) {
      const sequences: string[] = [];
      let position: StreamPosition = { type: 'trim-horizon' };
      for (;;) {
        const result: ReadResult = await streams.read(STREAM, shard.shardId, position);
        sequences.push(...result.records.map((r) => `${r.sequence}:${verifyBody(r.data)}`));
        position = result.next;
        if (result.caughtUp) break;
      }
      viaReader.set(shard.shardId, sequences);
    }
    // What each group has not read yet, through `mq tail --group` (the drain).
    const drained: Record<string, string[]> = {};
    for (const group of GROUPS) {
      const lines: string[] = [];
      const run = await runCli(['tail', STREAM, '--group', group, '--json'], { MQ_HOME: env.home }, '', (line) => lines.push(line));
      if (run.exitCode !== 0) throw new Error(`draining group ${group}: exit ${run.exitCode}: ${run.stderr}`);
      drained[group] = lines;
    }
    const groupDir = path.join(env.home, 'streams', STREAM, 'groups');
    const checkpointTemps = GROUPS.flatMap((g) => fs.readdirSync(path.join(groupDir, g)).filter((n) => n.startsWith('.')));
    return { raw, viaReader, drained, checkpoints, checkpointTemps: checkpointTemps.length };
  },
  check(logs, r) {
    const entries = logs.flatMap((l) => l.entries);
    const acked = entries.filter((e) => e.t === 'put').flatMap((e) => e.recs as AckedPut[]);
    const byShard = new Map<string, StoredRecord[]>();
    for (const [shardId, records] of r.raw.records.get(STREAM) ?? new Map()) {
      byShard.set(shardId, records.map((rec: SegmentRecord) => ({ shardId, sequence: rec.sequence, counter: rec.counter, tag: verifyBody(rec.data) })));
    }
    const stored = new Map([...byShard.values()].flat().map((rec) => [rec.sequence, rec]));
    const violations = [
      ...r.raw.problems,
      ...checkRecordsWhole(byShard),
      ...checkPutsStored(acked, stored),
      ...checkScans(entries.filter((e) => e.t === 'scan') as unknown as Scan[], byShard),
    ];
    for (const [shardId, records] of byShard) {
      const reader = r.viaReader.get(shardId) ?? [];
      const raw = records.map((rec) => `${rec.sequence}:${rec.tag}`);
      if (JSON.stringify(reader) !== JSON.stringify(raw)) violations.push(`${shardId}: the store's reader returns ${reader.length} records, the segment files hold ${raw.length}`);
    }
    const lastCounter = new Map([...byShard].map(([shardId, records]) => [shardId, records.length]));
    for (const group of GROUPS) {
      const reads = [
        ...logs.filter((l) => l.role === 'tailer').flatMap((l) => group === 'cli' ? tailedRecords(l.outputs.tail ?? '') : []),
        ...entries.filter((e) => e.t === 'read' && e.group === group).flatMap((e) => (e.recs as [string, string | null][]).map(([sequence, tag]) => ({ sequence, tag }))),
        ...tailedRecords(r.drained[group]!.join('\n')),
      ];
      violations.push(...checkGroupReads(group, reads, stored));
      violations.push(...checkGroupCovered(group, acked, new Set(reads.map((x) => x.sequence))));
      for (const [shardId, checkpoint] of Object.entries(r.checkpoints[group] ?? {})) {
        if ('sequence' in checkpoint && Number(checkpoint.sequence.slice(13)) > (lastCounter.get(shardId) ?? 0)) {
          violations.push(`group ${group}: checkpoint ${checkpoint.sequence} beyond the end of ${shardId}`);
        }
      }
    }
    const scans = entries.filter((e) => e.t === 'scan').length;
    return {
      operations: countOperations(logs, {
        put: (e) => (e.recs as unknown[]).length, tailed: (e) => Number(e.records), read: (e) => (e.recs as unknown[]).length,
        checkpointed: () => 1, scan: () => 1,
      }),
      checked: acked.length + stored.size,
      violations,
      notes: [`${acked.length} puts acknowledged, ${stored.size} records stored in ${byShard.size} shards, ${scans} whole-shard scans during the run, ${r.checkpointTemps} checkpoint temp files left by killed consumers`],
    };
  },
});

function tailedRecords(text: string): { sequence: string; tag: string | null }[] {
  const records: { sequence: string; tag: string | null }[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const record = JSON.parse(line) as { sequence: string; data: string };
      records.push({ sequence: record.sequence, tag: verifyBody(record.data) });
    } catch {
      // The torn last line of a killed `mq tail`: not printed whole, so not checkpointed either.
    }
  }
  return records;
}

function randomHashKey(w: WorkerContext): string {
  let key = 0n;
  for (let i = 0; i < 4; i++) key = (key << 32n) | BigInt(w.rng.int(0, 2 ** 32 - 1));
  return key.toString();
}

// Puts batches: through the library (sometimes with 32 KiB segments, so they roll under the kills) or
// through `mq put` from stdin, whose printed "SHARD SEQUENCE" lines are logged as they come.
async function produce(w: WorkerContext): Promise<void> {
  const durability = w.rng.pick(['fsync', 'none'] as const);
  const store = createFsBackend({ home: w.home, durability, ...(w.rng.chance(0.5) ? { streamSegmentBytes: 32 * 1024 } : {}) }).streams;
  let k = 0;
  while (w.more()) {
    const count = w.rng.chance(0.1) ? w.rng.int(100, 1000) : w.rng.int(1, 30);
    const tags = Array.from({ length: count }, () => `${w.tag}.${k++}`);
    const datas = tags.map((tag) => makeBody(tag, w.rng, 200));
    if (w.rng.chance(0.3)) {
      let printed = 0;
      const run = await w.op('put', () => runCli(['put', STREAM], { MQ_HOME: w.home, MQ_DURABILITY: durability }, `${datas.join('\n')}\n`, (line) => {
        const [shard, sequence] = line.split(' ');
        w.log({ t: 'put', recs: [[shard, sequence, tags[printed++]]] });
      }));
      if (run.exitCode !== 0 || printed !== count) throw new Error(`mq put exited ${run.exitCode} after ${printed} of ${count}: ${run.stderr}`);
      continue;
    }
    const keying = w.rng.weighted({ key: 5, hash: 2, none: 2 });
    const requests = datas.map((data) => ({
      data,
      ...(keying === 'key' ? { partitionKey: w.rng.pick(KEYS) } : {}),
      ...(keying === 'hash' ? { explicitHashKey: randomHashKey(w) } : {}),
    }));
    const outcomes = await w.op('put', () => store.put(STREAM, requests));
    w.log({
      t: 'put',
      recs: outcomes.map((o, i) => {
        if (!o.ok) throw o.error;
        return [o.shardId, o.sequence, tags[i]];
      }),
    });
  }
}

// `mq tail --group cli -n N --json`, its stdout going straight to an output file (what it printed).
async function tail(w: WorkerContext): Promise<void> {
  const fd = w.outputFd('tail');
  while (w.more()) {
    const n = w.rng.int(1, 500);
    let printed = 0;
    const run = await w.op('tail', () => runCli(['tail', STREAM, '--group', 'cli', '-n', String(n), '--json'], { MQ_HOME: w.home, MQ_DURABILITY: w.rng.pick(['fsync', 'none']) }, '', (line) => {
      fs.writeSync(fd, `${line}\n`);
      printed++;
    }));
    if (run.exitCode !== 0) throw new Error(`mq tail exited ${run.exitCode}: ${run.stderr}`);
    w.log({ t: 'tailed', records: printed });
    if (printed === 0) await sleep(20);
  }
}

// A consumer of group "lib" through the library: read a page of one shard after the group's checkpoint,
// log it, then checkpoint its last record.
async function readAsGroup(w: WorkerContext): Promise<void> {
  const store = openBackend({ home: w.home, durability: w.rng.pick(['fsync', 'none'] as const) }).streams;
  while (w.more()) {
    const shards = (await store.get(STREAM)).shards.map((s) => s.shardId);
    const [cursor] = await openGroupCursors(store, STREAM, 'lib', [w.rng.pick(shards)], { type: 'trim-horizon' });
    const result = await w.op('read', () => store.read(STREAM, cursor!.shardId, cursor!.position, { limit: w.rng.int(1, 300) }));
    if (result.records.length === 0) {
      await sleep(20);
      continue;
    }
    w.log({ t: 'read', group: 'lib', recs: result.records.map((r) => [r.sequence, verifyBody(r.data)]) });
    const last = result.records.at(-1)!.sequence;
    await w.op('checkpoint', () => store.setCheckpoint(STREAM, 'lib', cursor!.shardId, { sequence: last }));
    w.log({ t: 'checkpointed', shard: cursor!.shardId, sequence: last });
  }
}

// Reads one whole shard from its start and logs how many records it saw, a hash of them, and anything
// wrong on the way (a counter skipped or repeated, data that does not verify, time going back).
async function scan(w: WorkerContext): Promise<void> {
  const store = openBackend({ home: w.home }).streams;
  while (w.more()) {
    const shards = (await store.get(STREAM)).shards.map((s) => s.shardId);
    const shard = w.rng.pick(shards);
    const entry = await w.op('scan', async () => {
      const result: Entry & Scan = { t: 'scan', shard, count: 0, hash: 0, problems: [] };
      let position: StreamPosition = { type: 'trim-horizon' };
      let lastArrival = 0;
      for (;;) {
        const page: ReadResult = await store.read(STREAM, shard, position);
        for (const record of page.records) {
          const counter = Number(record.sequence.slice(13));
          const tag = verifyBody(record.data);
          if (counter !== result.count + 1) result.problems.push(`counter ${counter} after ${result.count}`);
          if (tag === null) result.problems.push(`record ${record.sequence} does not verify`);
          if (record.arrivedAt < lastArrival) result.problems.push(`record ${record.sequence} arrived before the one ahead of it`);
          lastArrival = record.arrivedAt;
          result.count++;
          result.hash = rollHash(result.hash, record.sequence, tag);
        }
        position = page.next;
        if (page.caughtUp) return result;
      }
    });
    w.log(entry);
    await sleep(w.rng.int(0, 100));
  }
}
