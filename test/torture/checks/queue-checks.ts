// The queue guarantees as checks over what workers logged and what recovery found. Pure functions over
// plain data, so each one is also tested on hand-made logs (checks.test.ts) to show it can fail.
//
// Log conventions (every queue scenario): a producer logs {t:'sent', msgs:[{id, tag, ...}]} only after
// the send returned; a consumer logs {t:'recv', at, msgs:[{id, tag, n, ...}]} after a receive returned
// and before acting on it, and {t:'acking', at, ids} before calling ack. `tag` is the body's own tag when
// the body verified (bodies.ts), else null; `at` is the monotonic clock in nanoseconds (process.hrtime),
// which is one clock for every process on the machine.
import type { Entry, WorkerLog } from '../scenario.js';

export interface SentMessage {
  id: string;
  tag: string;
  group?: string;
  seq?: string;
  dedupId?: string;
  // Which producer slot sent it, and in what order that slot's sends returned.
  producer?: string;
  order?: number;
}

export interface Delivery {
  id: string;
  tag: string | null;
  n: number;
  group?: string;
  seq?: string;
  dedupId?: string;
  deadLetterSource?: string;
  // Where it was received: 'run' or 'drain' (recovery), and from which queue.
  source: string;
  queue: string;
}

export interface Batch {
  at: bigint;
  queue: string;
  msgs: Delivery[];
}

export interface QueueLogs {
  sent: SentMessage[];
  deliveries: Delivery[];
  batches: Batch[];
  // The earliest "acking" time of each message id.
  acking: Map<string, bigint>;
}

// Gathers the sends, deliveries and acks of every worker log (recovery's drain adds its own batches).
export function collectQueueLogs(logs: WorkerLog[]): QueueLogs {
  const result: QueueLogs = { sent: [], deliveries: [], batches: [], acking: new Map() };
  // A slot's processes ran one after another, so their logs in incarnation order are the slot's history.
  const orders = new Map<string, number>();
  for (const log of [...logs].sort((a, b) => a.incarnation - b.incarnation)) {
    const producer = `${log.role}.${log.slot}`;
    for (const entry of log.entries) {
      addEntry(result, entry, producer, () => {
        const order = orders.get(producer) ?? 0;
        orders.set(producer, order + 1);
        return order;
      });
    }
  }
  return result;
}

export function addEntry(result: QueueLogs, entry: Entry, producer: string, nextOrder: () => number): void {
  if (entry.t === 'sent') {
    for (const m of entry.msgs as SentMessage[]) result.sent.push({ ...m, producer, order: nextOrder() });
  } else if (entry.t === 'recv') {
    addBatch(result, BigInt(entry.at as string), String(entry.q ?? ''), entry.msgs as Omit<Delivery, 'source' | 'queue'>[], 'run');
  } else if (entry.t === 'acking') {
    const at = BigInt(entry.at as string);
    for (const id of entry.ids as string[]) {
      const earlier = result.acking.get(id);
      if (earlier === undefined || at < earlier) result.acking.set(id, at);
    }
  }
}

export function addBatch(result: QueueLogs, at: bigint, queue: string, msgs: Omit<Delivery, 'source' | 'queue'>[], source: string): void {
  const deliveries = msgs.map((m) => ({ ...m, source, queue }));
  result.deliveries.push(...deliveries);
  result.batches.push({ at, queue, msgs: deliveries });
}

// At least once: every acknowledged send was received during the run or drained afterwards.
export function checkDelivered(sent: SentMessage[], deliveries: Delivery[]): string[] {
  const seen = new Set(deliveries.map((d) => d.tag));
  const missing = sent.filter((m) => !seen.has(m.tag));
  return missing.length === 0 ? [] : [`${missing.length} acknowledged sends never delivered, e.g. ${missing.slice(0, 5).map((m) => `${m.tag} (${m.id})`).join(', ')}`];
}

// Nothing half-written: every body received or drained verified.
export function checkIntact(deliveries: Delivery[]): string[] {
  const bad = deliveries.filter((d) => d.tag === null);
  return bad.length === 0 ? [] : [`${bad.length} deliveries with a body that does not verify, e.g. message ${bad[0]!.id} (${bad[0]!.source})`];
}

// One winner per transition: no two deliveries of a message with the same receive count (two processes
// claimed the same ready file), and a message keeps its body.
export function checkDeliveriesDistinct(deliveries: Delivery[]): string[] {
  const violations: string[] = [];
  const byKey = new Map<string, Delivery>();
  const tagOf = new Map<string, string | null>();
  for (const d of deliveries) {
    const key = `${d.queue}/${d.id}/${d.n}`;
    const earlier = byKey.get(key);
    if (earlier) violations.push(`message ${d.id} delivered twice with receive count ${d.n} (${earlier.source} and ${d.source})`);
    byKey.set(key, d);
    if (tagOf.has(d.id) && tagOf.get(d.id) !== d.tag) violations.push(`message ${d.id} came back with another body (${tagOf.get(d.id)} then ${d.tag})`);
    tagOf.set(d.id, d.tag);
  }
  return violations.slice(0, 20);
}

// A drain takes every stored message once: the same message (by id or by body) twice means it sat in
// two places at once.
export function checkDrainUnique(drained: Delivery[]): string[] {
  const violations: string[] = [];
  const ids = new Set<string>();
  const tags = new Set<string | null>();
  for (const d of drained) {
    if (ids.has(d.id)) violations.push(`message ${d.id} stored twice (drained twice)`);
    if (d.tag !== null && tags.has(d.tag)) violations.push(`body ${d.tag} stored twice (in ${d.queue}, and earlier in the drain)`);
    ids.add(d.id);
    tags.add(d.tag);
  }
  return violations.slice(0, 20);
}

// Every message file found at rest after the janitors ran, as (queue, state, id).
export interface RestingMessage {
  queue: string;
  state: 'ready' | 'inFlight';
  id: string;
}

export function checkAtRest(files: RestingMessage[]): string[] {
  const violations: string[] = [];
  const where = new Map<string, RestingMessage>();
  for (const file of files) {
    const earlier = where.get(file.id);
    if (earlier) violations.push(`message ${file.id} in two places: ${earlier.queue} ${earlier.state} and ${file.queue} ${file.state}`);
    where.set(file.id, file);
    if (file.state === 'inFlight') violations.push(`message ${file.id} of ${file.queue} still in flight after its timeout and the janitors`);
  }
  return violations.slice(0, 20);
}

// FIFO order. A batch that delivers message m of group G is valid only if every earlier message of G
// (lower sequence number), other than those in the same batch, had an "acking" entry logged before the
// batch's "received" entry: the earlier message must have been deleted before m could be claimed, and
// its ack came after that entry. Within a batch, a group's messages must come in sequence order.
// Messages given back by a timeout or a nack therefore come before later ones.
export function checkFifoOrder(batches: Batch[], acking: Map<string, bigint>, known: { id: string; group: string; seq: string; queue: string }[]): string[] {
  const violations: string[] = [];
  // Per queue and group: messages by sequence number, with the prefix maximum of their acking times.
  const groups = new Map<string, { seqs: string[]; ids: string[]; latestAck: bigint[] }>();
  const unique = new Map<string, { id: string; group: string; seq: string; queue: string }>();
  for (const m of known) unique.set(`${m.queue}/${m.id}`, m);
  const byGroup = new Map<string, { id: string; seq: string }[]>();
  for (const m of unique.values()) {
    const key = `${m.queue}/${m.group}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), m]);
  }
  const NEVER = 2n ** 127n;
  for (const [key, list] of byGroup) {
    list.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const latestAck: bigint[] = [];
    let max = -1n;
    for (const m of list) {
      const at = acking.get(m.id) ?? NEVER;
      max = at > max ? at : max;
      latestAck.push(max);
    }
    groups.set(key, { seqs: list.map((m) => m.seq), ids: list.map((m) => m.id), latestAck });
  }
  for (const batch of batches) {
    const inBatch = new Map<string, Delivery[]>();
    for (const m of batch.msgs) {
      const key = `${batch.queue}/${m.group}`;
      inBatch.set(key, [...(inBatch.get(key) ?? []), m]);
    }
    for (const [key, msgs] of inBatch) {
      const seqs = msgs.map((m) => m.seq!);
      if (seqs.some((s, i) => i > 0 && s <= seqs[i - 1]!)) violations.push(`${key}: batch at ${batch.at} out of sequence order: ${seqs.join(', ')}`);
      const group = groups.get(key);
      if (!group) continue;
      const first = seqs[0]!;
      // Earlier messages of the group: all before the batch's first.
      const before = lowerBound(group.seqs, first);
      if (before > 0 && group.latestAck[before - 1]! > batch.at) {
        const culprit = group.ids.find((id, i) => i < before && (acking.get(id) ?? NEVER) > batch.at);
        violations.push(`${key}: message seq ${first} delivered at ${batch.at} while earlier message ${culprit} was not yet acked`);
      }
      // Messages of the group between the batch's first and last that the batch skipped.
      const mine = new Set(msgs.map((m) => m.id));
      for (let i = before; i < group.seqs.length && group.seqs[i]! <= seqs.at(-1)!; i++) {
        const id = group.ids[i]!;
        if (!mine.has(id) && (acking.get(id) ?? NEVER) > batch.at) violations.push(`${key}: batch at ${batch.at} skipped unacked message ${id} (seq ${group.seqs[i]})`);
      }
    }
  }
  return violations.slice(0, 20);
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Each producer's acknowledged sends to one group got increasing sequence numbers.
export function checkProducerOrder(sent: SentMessage[]): string[] {
  const violations: string[] = [];
  const last = new Map<string, SentMessage>();
  for (const m of [...sent].sort((a, b) => (a.producer! < b.producer! ? -1 : a.producer! > b.producer! ? 1 : a.order! - b.order!))) {
    const key = `${m.producer}/${m.group}`;
    const earlier = last.get(key);
    if (earlier && m.id !== earlier.id && m.seq! <= earlier.seq!) violations.push(`producer ${m.producer}: ${m.tag} got seq ${m.seq} after ${earlier.tag} got ${earlier.seq} in group ${m.group}`);
    last.set(key, m);
  }
  return violations.slice(0, 20);
}

// Deduplication: every message id seen for one dedup id is the same message.
export function checkDedup(sent: SentMessage[], deliveries: Delivery[]): string[] {
  const ids = new Map<string, Set<string>>();
  for (const m of [...sent, ...deliveries]) {
    if (m.dedupId === undefined) continue;
    const set = ids.get(m.dedupId) ?? new Set<string>();
    set.add(m.id);
    ids.set(m.dedupId, set);
  }
  return [...ids].filter(([, set]) => set.size > 1).slice(0, 20).map(([dedupId, set]) => `dedup id ${dedupId} enqueued ${set.size} times: ${[...set].join(', ')}`);
}
