// Streams under resharding and consumer-group leases (issue 7: SIGKILL inside put, checkpoint, lease
// renewal and reshard). Producers put records with a few partition keys, each record tagged SLOT/KEY/I.K
// (the K-th record of that key put by incarnation I of the producer slot: one chain per slot and key, in
// put order across the slot's processes), logged once put returned its sequence number. Two resharders
// split, merge adjacent open shards and change the shard count at random. Consumers form one group the
// way `mq consume` does (its own loop, runStreamConsumer, with a handler that logs each batch), taking,
// renewing and releasing leases and checkpointing under them. Processes are killed inside put, split,
// merge, reshard, lease take (takeover included), renewal, release and checkpoint, and at random moments.
//
// Afterwards (recover: one put to every open shard to cut torn tails, then the checks):
// - every acknowledged put is stored exactly once, at its sequence number, in the shard it was routed to
//   (and that shard's hash key range holds its key); per-shard counters are 1, 2, 3, ... with no gap;
//   what one producer process stored of a key is a prefix of what it put;
// - no record in a closed shard after its ending sequence number (the ending one is its last record),
//   closed markers agree with the map, directories a killed resharder made but never published are empty;
// - lease and checkpoint files, as the kills left them, all parse; no lease counter was handed out twice,
//   no lease taken from an owner before it expired; checkpoints name records the shard holds, and none
//   is older than one a worker was told was written;
// - the group's deliveries, during the run and by a final drain (runStreamConsumer again, taking over the dead
//   workers' leases), cover every stored record, and per key (chain) obey checks/reshard-checks.ts:
//   (P1) first deliveries in put order (parents' records of a key before their children's);
//   (P2) within one session (one lease hold of one shard) each delivery of a key is the next stored
//   record of its chain, so a key goes back only where a new session replays the suffix after the last
//   checkpoint (after a crash, a lost or a given-back lease);
//   (P3) no session starts at or before a checkpoint written before it asked for the lease, and none
//   reads a shard checkpointed SHARD_END;
// - a fresh group reading from trim-horizon (readGroup, lineage order) sees every stored record exactly
//   once, each key's in put order.
import fs from 'node:fs';
import path from 'node:path';
import { openBackend } from '../../../src/index.js';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import { runStreamConsumer } from '../../../src/workers/stream-consumer.js';
import { type StreamConsumerEvent, describeStreamConsumerEvent } from '../../../src/workers/events.js';
import { readGroup } from '../../../src/core/stream-groups.js';
import { lastSequenceByShard } from '../../../src/core/stream-reader.js';
import { partitionKeyHash } from '../../../src/core/hash-keys.js';
import { parseLease } from '../../../src/fs/stream/lease-files.js';
import { parseCheckpoint } from '../../../src/fs/stream/checkpoint-files.js';
import { isMqError } from '../../../src/core/errors.js';
import type { StreamStore } from '../../../src/core/stream-store.js';
import type { Checkpoint, ReshardResult, ShardInfo, ShardLease, StreamRecord } from '../../../src/core/stream-types.js';
import { type SegmentRecord, scanStore } from '../../helpers/segment-check.js';
import { makeBody, verifyBody } from '../bodies.js';
import { type Entry, type WorkerContext, countOperations, defineScenario } from '../scenario.js';
import { nowNs, sleep } from '../support.js';
import { type AckedPut, type StoredRecord, checkGroupCovered, checkPutsStored, checkRecordsWhole } from '../checks/stream-checks.js';
import {
  type CheckpointDone, type Delivery, type LeaseGrant, type Session, type ShardState, checkChainsStored, checkCheckpointsKept, checkDeliveryOrder,
  checkFreshRead, checkLeaseGrants, checkRouting, checkSessionStarts, checkShardEnds, checkStoredOnce,
} from '../checks/reshard-checks.js';

const STREAM = 'resharded';
const GROUP = 'g';
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const FAILOVER_MS = 1000;

interface Params {
  // Most open shards the resharder makes, and how many shards (open and closed) it stops at.
  maxOpen: number;
  maxShards: number;
  pauseMs: [number, number];
}

export const scenario = defineScenario({
  name: 'stream-reshard',
  description: 'stream: split, merge, reshard, leases and checkpoints of a consume group under SIGKILL',
  roles: [
    { name: 'producer', slots: 2, kills: ['put'] },
    { name: 'resharder', slots: 2, kills: ['split', 'merge', 'reshard'] },
    { name: 'consumer', slots: 2, kills: ['take', 'renew', 'checkpoint', 'release'] },
  ],
  async setup(env) {
    const params: Params = env.form === 'full'
      ? { maxOpen: 8, maxShards: 700, pauseMs: [800, 3000] }
      : { maxOpen: 6, maxShards: 80, pauseMs: [10, 150] };
    env.params = params as unknown as Record<string, unknown>;
    const streams = openBackend({ home: env.home }).streams;
    await streams.create(STREAM, { shardCount: env.rng.int(1, 3), durability: env.rng.pick(['fsync', 'none'] as const) });
    // A first 100 records, so that the group and the reshards have records to work on even in a short
    // run whose producers all die before their first put returns.
    const counters = new Map<string, number>();
    for (let batch = 0; batch < 4; batch++) {
      const tags = Array.from({ length: 25 }, () => {
        const key = env.rng.pick(KEYS);
        const n = counters.get(key) ?? 0;
        counters.set(key, n + 1);
        return { key, tag: `setup/${key}/0.${n}` };
      });
      const outcomes = await streams.put(STREAM, tags.map(({ key, tag }) => ({ data: makeBody(tag, env.rng, 120), partitionKey: key })));
      env.log({ t: 'put', recs: outcomes.map((o, i) => (o.ok ? [o.shardId, o.sequence, tags[i]!.tag] : [])) });
    }
  },
  async work(role, w) {
    if (role === 'producer') await produce(w);
    else if (role === 'resharder') await reshardAtRandom(w);
    else await consume(w);
  },
  async recover(env) {
    const streams = createFsBackend({ home: env.home }).streams;
    const layoutDir = path.join(env.home, 'streams', STREAM);
    // The files as the kills left them, before anything else writes.
    const files = groupFiles(path.join(layoutDir, 'groups', GROUP));
    const atRest = await streams.get(STREAM);
    const checkpointsAtRest = await streams.checkpoints(STREAM, GROUP).catch(() => ({} as Record<string, Checkpoint>));
    // Closed markers on shards the map shows open: a resharder killed between marker and map.
    const strayMarkers = atRest.shards.filter((s) => s.state === 'open' && fs.existsSync(path.join(layoutDir, 'shards', s.shardId, 'closed'))).length;
    // One put per open shard: the writer after a killed one cuts its torn tail off (and removes a
    // closed marker a killed resharder left on a shard its map never closed).
    for (const shard of atRest.shards.filter((s) => s.state === 'open')) {
      const [outcome] = await streams.put(STREAM, [{ data: makeBody(`marker.${shard.shardId}`, env.rng), explicitHashKey: shard.hashKeyRange.startingHashKey }]);
      if (!outcome?.ok) throw new Error(`marker put failed: ${JSON.stringify(outcome)}`);
    }
    const info = await streams.get(STREAM);
    const raw = scanStore(env.home);
    const markers = new Map<string, number | null>();
    for (const name of fs.readdirSync(path.join(layoutDir, 'shards'))) {
      const text = fs.existsSync(path.join(layoutDir, 'shards', name, 'closed')) ? fs.readFileSync(path.join(layoutDir, 'shards', name, 'closed'), 'utf8') : null;
      markers.set(name, text === null ? null : (JSON.parse(text) as { endingCounter: number }).endingCounter);
    }

    // The drain: one more consume worker, in this process, until the group has finished every closed
    // shard and checkpointed every open one at its last record.
    const drainEntries: Entry[] = [];
    const drain = await drainGroup(streams, info.shards, drainEntries, env.form === 'full' ? 120_000 : 60_000);

    // A fresh group from trim-horizon, in lineage order, checkpointing each batch.
    const fresh: { sequence: string; tag: string | null }[] = [];
    for await (const batch of readGroup(streams, STREAM, 'fresh', { start: { type: 'trim-horizon' } })) {
      fresh.push(...batch.map((r) => ({ sequence: r.sequence, tag: verifyBody(r.data) })));
      for (const [shardId, sequence] of lastSequenceByShard(batch)) await streams.setCheckpoint(STREAM, 'fresh', shardId, { sequence });
    }
    return { info, raw, markers, strayMarkers, files, checkpointsAtRest, drainEntries, drain, fresh };
  },
  check(logs, r) {
    const entries = logs.flatMap((l) => l.entries);
    const acked = entries.filter((e) => e.t === 'put').flatMap((e) => e.recs as AckedPut[]);
    const violations: string[] = [...r.raw.problems, ...r.files.broken, ...r.drain.problems];

    // The store: records whole and numbered, each acknowledged put where it was acknowledged, once.
    const byShard = new Map<string, StoredRecord[]>();
    const segmentRecords: SegmentRecord[] = [];
    for (const [shardId, records] of r.raw.records.get(STREAM) ?? new Map<string, SegmentRecord[]>()) {
      segmentRecords.push(...records);
      byShard.set(shardId, records.map((rec) => ({ shardId, sequence: rec.sequence, counter: rec.counter, tag: verifyBody(rec.data) })));
    }
    const all = [...byShard.values()].flat();
    const stored = new Map(all.map((rec) => [rec.sequence, rec]));
    violations.push(...checkRecordsWhole(byShard), ...checkPutsStored(acked, stored), ...checkStoredOnce(all), ...checkChainsStored(all));

    // Shard map against the shards: ending sequence numbers, markers, unpublished directories, routing.
    const mapped = new Set(r.info.shards.map((s) => s.shardId));
    const states: ShardState[] = r.info.shards.map((s) => ({
      shardId: s.shardId, state: s.state,
      ...(s.sequenceNumberRange.endingSequenceNumber ? { endingCounter: Number(s.sequenceNumberRange.endingSequenceNumber.slice(13)) } : {}),
      marker: r.markers.get(s.shardId) ?? null,
    }));
    const counters = new Map([...byShard].map(([shardId, records]) => [shardId, records.map((x) => x.counter)]));
    violations.push(...checkShardEnds(states, counters, [...r.markers.keys()].filter((id) => !mapped.has(id))));
    const ranges = new Map(r.info.shards.map((s) => [s.shardId, [BigInt(s.hashKeyRange.startingHashKey), BigInt(s.hashKeyRange.endingHashKey)] as [bigint, bigint]]));
    violations.push(...checkRouting(segmentRecords.filter((rec) => !rec.data.startsWith('marker.')).map((rec) => ({ shardId: rec.shardId, sequence: rec.sequence, hash: partitionKeyHash(rec.partitionKey) })), ranges));

    // Leases and checkpoints as the kills left them.
    const grants = entries.filter((e) => e.t === 'lease').map((e) => e as unknown as LeaseGrant);
    violations.push(...checkLeaseGrants(grants, r.files.leaseCounters));
    for (const [shardId, checkpoint] of Object.entries(r.checkpointsAtRest)) {
      if (!('sequence' in checkpoint)) continue;
      const record = stored.get(checkpoint.sequence);
      if (!record || record.shardId !== shardId) violations.push(`checkpoint of ${shardId} at ${checkpoint.sequence}, which the shard does not hold`);
    }

    // The group: deliveries of the run and of the drain.
    const withDrain = [...logs.map((l) => ({ proc: `${l.role}.${l.slot}.${l.incarnation}`, entries: l.entries })), { proc: 'drain', entries: r.drainEntries }];
    const deliveries: Delivery[] = [];
    const sessions: Session[] = [];
    const checkpoints: CheckpointDone[] = [];
    for (const { proc, entries: list } of withDrain) {
      for (const e of list) {
        if (e.t === 'batch') {
          (e.recs as [string, string | null][]).forEach(([sequence, tag], i) => deliveries.push({ at: e.at as string, proc, session: e.session as number, shardId: e.shard as string, i, sequence, tag }));
        } else if (e.t === 'took') {
          sessions.push({ proc, session: e.session as number, shardId: e.shard as string, asked: e.asked as string });
        } else if (e.t === 'checkpointed') {
          checkpoints.push({ shardId: e.shard as string, checkpoint: e.checkpoint as string, at: e.at as string });
        }
      }
    }
    const atRest = new Map(Object.entries(r.checkpointsAtRest).map(([shardId, c]) => [shardId, 'sequence' in c ? c.sequence : c.sentinel]));
    violations.push(...checkCheckpointsKept(entries.filter((e) => e.t === 'checkpointed').map((e) => ({ shardId: e.shard as string, checkpoint: e.checkpoint as string, at: e.at as string })), atRest));
    const wrongReads = deliveries.filter((d) => d.tag === null || stored.get(d.sequence)?.tag !== d.tag || stored.get(d.sequence)?.shardId !== d.shardId);
    if (wrongReads.length > 0) violations.push(`group: ${wrongReads.length} records delivered that are not what the shard holds, e.g. ${JSON.stringify(wrongReads[0])}`);
    const delivered = new Set(deliveries.map((d) => d.sequence));
    violations.push(
      ...checkGroupCovered(GROUP, all.map((rec) => [rec.shardId, rec.sequence, rec.tag ?? ''] as AckedPut), delivered),
      ...checkDeliveryOrder(deliveries, all.map((rec) => rec.tag)),
      ...checkSessionStarts(sessions, checkpoints, deliveries),
      ...checkFreshRead(r.fresh, stored),
    );

    const reshards = entries.filter((e) => e.t === 'resharded');
    const redelivered = deliveries.length - delivered.size;
    return {
      operations: countOperations(logs, {
        put: (e) => (e.recs as unknown[]).length, resharded: () => 1, took: () => 1, renewed: () => 1, checkpointed: () => 1, batch: (e) => (e.recs as unknown[]).length,
      }),
      checked: acked.length + stored.size + deliveries.length + r.fresh.length,
      violations,
      notes: [
        `${acked.length} puts acknowledged, ${stored.size} records stored in ${byShard.size} shards (${r.info.openShardCount} open), `
          + `${reshards.length} reshards (split ${reshards.filter((e) => e.op === 'split').length}, merge ${reshards.filter((e) => e.op === 'merge').length}, `
          + `reshard ${reshards.filter((e) => e.op === 'reshard').length}; ${entries.filter((e) => e.t === 'refused').length} refused as stale), ${r.markers.size - mapped.size} unpublished shard directories, `
          + `${r.strayMarkers} closed markers on open shards left by killed resharders`,
        `group: ${deliveries.length} deliveries (${redelivered} redelivered), ${sessions.length} lease sessions, ${grants.length} leases handed out, `
          + `${r.files.leases} lease and ${r.files.checkpoints} checkpoint files parsed, ${r.files.temps} temp files left; drain delivered `
          + `${r.drainEntries.filter((e) => e.t === 'batch').reduce((n, e) => n + (e.recs as unknown[]).length, 0)} records in ${(r.drain.ms / 1000).toFixed(1)} s`,
      ],
    };
  },
});

// Every lease and checkpoint file of the group parses (old or new value, never broken); lease counters.
function groupFiles(dir: string): { leases: number; checkpoints: number; temps: number; broken: string[]; leaseCounters: Map<string, number> } {
  const result = { leases: 0, checkpoints: 0, temps: 0, broken: [] as string[], leaseCounters: new Map<string, number>() };
  if (!fs.existsSync(dir)) return result;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) {
      result.temps++;
      continue;
    }
    const file = path.join(dir, name);
    if (!fs.lstatSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'utf8');
    const lease = /^(shardId-\d{12})\.lease$/.exec(name);
    if (lease) {
      result.leases++;
      const parsed = parseLease(text, lease[1]!);
      if (parsed) result.leaseCounters.set(lease[1]!, parsed.counter);
      else result.broken.push(`lease file ${name} does not parse: ${JSON.stringify(text.slice(0, 80))}`);
    } else if (/^shardId-\d{12}\.json$/.test(name)) {
      result.checkpoints++;
      if (!parseCheckpoint(text)) result.broken.push(`checkpoint file ${name} does not parse: ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
  return result;
}

interface ConsumerHooks {
  op<T>(kind: string, fn: () => Promise<T>): Promise<T>;
  log(entry: Entry): void;
}

// The store as a consume worker sees it, with its lease and checkpoint calls logged (and, in a worker,
// wrapped in ops the harness kills inside). A session is one lease taken by this process, numbered.
function consumerStore(store: StreamStore, hooks: ConsumerHooks, sessions: Map<string, number>): StreamStore {
  let sessionNo = 0;
  const grant = (lease: ShardLease) => hooks.log({ t: 'lease', shardId: lease.shardId, owner: lease.owner, counter: lease.counter, updatedAt: lease.updatedAt, expiresAt: lease.expiresAt });
  const overrides: Partial<StreamStore> = {
    async takeLease(name, group, shardId, owner, durationMs) {
      const asked = nowNs();
      const lease = await hooks.op('take', () => store.takeLease(name, group, shardId, owner, durationMs));
      if (lease) {
        sessions.set(shardId, ++sessionNo);
        hooks.log({ t: 'took', shard: shardId, session: sessionNo, asked });
        grant(lease);
      }
      return lease;
    },
    async renewLease(name, group, lease, durationMs) {
      const renewed = await hooks.op('renew', () => store.renewLease(name, group, lease, durationMs));
      if (renewed) {
        hooks.log({ t: 'renewed', shard: lease.shardId });
        grant(renewed);
      } else hooks.log({ t: 'lost', shard: lease.shardId, session: sessions.get(lease.shardId) });
      return renewed;
    },
    async releaseLease(name, group, lease) {
      await hooks.op('release', () => store.releaseLease(name, group, lease));
      hooks.log({ t: 'released', shard: lease.shardId, session: sessions.get(lease.shardId) });
    },
    async setCheckpoint(name, group, shardId, checkpoint, lease) {
      const value = 'sequence' in checkpoint ? checkpoint.sequence : checkpoint.sentinel;
      await hooks.op('checkpoint', () => store.setCheckpoint(name, group, shardId, checkpoint, lease));
      hooks.log({ t: 'checkpointed', shard: shardId, session: sessions.get(shardId), checkpoint: value, at: nowNs() });
    },
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof StreamStore];
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// What `mq consume` would print on stderr, logged.
function warnings(event: StreamConsumerEvent, log: (text: string) => void): void {
  const text = describeStreamConsumerEvent(event);
  if (text !== null) log(text);
}

// The handler of a consume worker: log the batch (that is the delivery), maybe take a moment, succeed.
function batchLogger(hooks: ConsumerHooks, sessions: Map<string, number>, pause: () => number) {
  return async (records: StreamRecord[], shardId: string) => {
    hooks.log({ t: 'batch', shard: shardId, session: sessions.get(shardId), at: nowNs(), recs: records.map((rec) => [rec.sequence, verifyBody(rec.data)]) });
    const ms = pause();
    if (ms > 0) await sleep(ms);
    return { ok: true as const };
  };
}

async function consume(w: WorkerContext): Promise<void> {
  const store = createFsBackend({ home: w.home, durability: w.rng.pick(['fsync', 'none'] as const) }).streams;
  const sessions = new Map<string, number>();
  const hooks: ConsumerHooks = { op: (kind, fn) => w.op(kind, fn), log: (entry) => w.log(entry) };
  const interrupt = new AbortController();
  const timer = setInterval(() => {
    if (!w.more()) interrupt.abort();
  }, 20);
  try {
    const report = await runStreamConsumer({
      store: consumerStore(store, hooks, sessions), stream: STREAM, group: GROUP, workerId: `w-${w.tag}`,
      start: { type: 'trim-horizon' }, batchSize: w.rng.int(1, 60), failoverTimeoutMs: FAILOVER_MS,
      retry: { delayMs: 50, maxDelayMs: 200 }, signal: interrupt.signal, now: () => Date.now(),
      handler: batchLogger(hooks, sessions, () => (w.rng.chance(0.3) ? w.rng.int(5, 40) : 0)),
      onEvent: (event) => warnings(event, (text) => w.log({ t: 'warn', text })),
    });
    if (report.error !== undefined) throw report.error;
    w.log({ t: 'consumed', records: report.records, batches: report.batches, leasesLost: report.leasesLost, shardsFinished: report.shardsFinished });
  } finally {
    clearInterval(timer);
  }
}

// After the run: a consume worker in the test process until every closed shard is finished and every
// open one checkpointed at its last record (or the time is up, a violation).
async function drainGroup(streams: StreamStore, shards: ShardInfo[], entries: Entry[], timeoutMs: number): Promise<{ ms: number; problems: string[] }> {
  const started = Date.now();
  const description = await streams.describe(STREAM);
  const last = new Map(description.shards.map((s) => [s.shardId, s.lastSequence]));
  const sessions = new Map<string, number>();
  const hooks: ConsumerHooks = { op: (_kind, fn) => fn(), log: (entry) => entries.push(entry) };
  const interrupt = new AbortController();
  const done = async () => {
    const checkpoints = await streams.checkpoints(STREAM, GROUP).catch(() => ({} as Record<string, Checkpoint>));
    return shards.every((s) => {
      const c = checkpoints[s.shardId];
      if (s.state === 'closed') return c !== undefined && 'sentinel' in c && c.sentinel === 'SHARD_END';
      const end = last.get(s.shardId) ?? null;
      return end === null || (c !== undefined && 'sequence' in c && c.sequence === end);
    });
  };
  const watching = (async () => {
    while (!(await done())) {
      if (Date.now() - started > timeoutMs) return false;
      await sleep(50);
    }
    return true;
  })();
  const consumer = runStreamConsumer({
    store: consumerStore(streams, hooks, sessions), stream: STREAM, group: GROUP, workerId: 'drain',
    start: { type: 'trim-horizon' }, batchSize: 20, failoverTimeoutMs: FAILOVER_MS,
    retry: { delayMs: 50, maxDelayMs: 200 }, signal: interrupt.signal, now: () => Date.now(),
    handler: batchLogger(hooks, sessions, () => 0), onEvent: (event) => warnings(event, (text) => entries.push({ t: 'warn', text })),
  });
  const finished = await watching;
  interrupt.abort();
  const report = await consumer;
  const problems: string[] = [];
  if (!finished) problems.push(`drain: the group had not finished every shard after ${timeoutMs / 1000} s`);
  if (report.error !== undefined) problems.push(`drain: ${String(report.error)}`);
  return { ms: Date.now() - started, problems };
}

// Puts batches of records with a few partition keys; each record's tag says its producer slot, key,
// incarnation and its number among that process's records of that key (checks/reshard-checks.ts: chains).
async function produce(w: WorkerContext): Promise<void> {
  const durability = w.rng.pick(['fsync', 'none'] as const);
  const store = createFsBackend({ home: w.home, durability, ...(w.rng.chance(0.3) ? { streamSegmentBytes: 16 * 1024 } : {}) }).streams;
  const counters = new Map<string, number>();
  while (w.more()) {
    const count = w.rng.int(1, 25);
    const requests = Array.from({ length: count }, () => {
      const key = w.rng.pick(KEYS);
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      const tag = `p${w.slot}/${key}/${w.incarnation}.${n}`;
      return { tag, data: makeBody(tag, w.rng, 120), partitionKey: key };
    });
    const outcomes = await w.op('put', () => store.put(STREAM, requests.map(({ data, partitionKey }) => ({ data, partitionKey }))));
    w.log({
      t: 'put',
      recs: outcomes.map((o, i) => {
        if (!o.ok) throw o.error;
        return [o.shardId, o.sequence, requests[i]!.tag];
      }),
    });
    if (w.rng.chance(0.5)) await sleep(w.rng.int(0, 15));
  }
}

// Splits a random open shard, merges two adjacent open ones, or changes the open shard count, within
// [1, maxOpen] open shards (about: two resharders run at once), until the stream has maxShards shards
// in all. A change the other resharder made stale is refused (and logged as such).
async function reshardAtRandom(w: WorkerContext): Promise<void> {
  const params = w.params as unknown as Params;
  const store = createFsBackend({ home: w.home, durability: w.rng.pick(['fsync', 'none'] as const) }).streams;
  for (let first = true; w.more(); first = false) {
    if (!first) await sleep(w.rng.int(...params.pauseMs));
    const info = await store.get(STREAM);
    if (info.shards.length >= params.maxShards) continue;
    const open = info.shards.filter((s) => s.state === 'open')
      .sort((a, b) => (BigInt(a.hashKeyRange.startingHashKey) < BigInt(b.hashKeyRange.startingHashKey) ? -1 : 1));
    const choices: ('split' | 'merge' | 'reshard')[] = [];
    if (open.length < params.maxOpen) choices.push('split');
    if (open.length > 1) choices.push('merge');
    choices.push('reshard');
    const op = w.rng.pick(choices);
    let change: () => Promise<ReshardResult>;
    if (op === 'split') {
      const shard = w.rng.pick(open);
      change = () => store.splitShard(STREAM, shard.shardId);
    } else if (op === 'merge') {
      const i = w.rng.int(0, open.length - 2);
      change = () => store.mergeShards(STREAM, open[i]!.shardId, open[i + 1]!.shardId);
    } else {
      // Another count when there is one (the same count with even ranges changes nothing).
      const counts = Array.from({ length: Math.min(open.length * 2, params.maxOpen) }, (_, i) => i + 1).filter((n) => n >= Math.ceil(open.length / 2) && n !== open.length);
      const target = counts.length > 0 ? w.rng.pick(counts) : open.length;
      change = () => store.updateShardCount(STREAM, target);
    }
    try {
      const result = await w.op(op, change);
      w.log({ t: 'resharded', op, closed: result.closed.map((s) => s.shardId), created: result.created.map((s) => s.shardId) });
    } catch (error) {
      // The other resharder changed the map since this one read it: a shard it names is closed now, or
      // the count is out of range for the open shards there are now. Refused before anything is touched.
      if (!isMqError(error, 'SHARD_CLOSED', 'INVALID_ARGUMENT')) throw error;
      w.log({ t: 'refused', op, code: error.code });
    }
  }
}
