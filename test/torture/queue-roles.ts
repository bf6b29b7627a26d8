// The producer and consumer processes of the queue scenarios, and the drain that recovery runs. A
// producer logs a message only once its send returned (or `mq send` printed its id); a consumer logs
// what it received before acting on it, and "acking" before calling ack.
import { openBackend } from '../../src/index.js';
import type { ReceivedMessage } from '../../src/core/queue-types.js';
import { isMqError } from '../../src/core/errors.js';
import type { Durability } from '../../src/core/durability.js';
import { makeBody, verifyBody } from './bodies.js';
import { Rng, deriveSeed } from './random.js';
import type { WorkerContext } from './scenario.js';
import { nowNs, runCli, sleep } from './support.js';
import { type Delivery, type QueueLogs, addBatch } from './checks/queue-checks.js';

export interface QueueParams {
  // Visibility timeouts consumers ask for, and the timeouts they extend to (ms, [min, max]).
  visibilityMs: [number, number];
  extendMs: [number, number];
}

// The longest a message can stay in flight without anyone touching it again.
export function longestHoldMs(params: QueueParams): number {
  return Math.max(params.visibilityMs[1], params.extendMs[1]);
}

export function describeDelivery(m: ReceivedMessage): Omit<Delivery, 'source' | 'queue'> {
  const tag = verifyBody(m.body);
  return {
    id: m.id, tag, n: m.receiveCount,
    ...(m.group !== undefined ? { group: m.group } : {}),
    ...(m.sequence !== undefined ? { seq: m.sequence } : {}),
    ...(m.dedupId !== undefined ? { dedupId: m.dedupId } : {}),
    ...(m.deadLetterSource !== undefined ? { deadLetterSource: m.deadLetterSource } : {}),
    ...(tag === null ? { body: m.body.slice(0, 200) } : {}),
  };
}

const durabilityOf = (w: WorkerContext): Durability => w.rng.pick(['fsync', 'none'] as const);

// The body of a tag: the same every time (a retried send sends the same bytes).
export function bodyOf(tag: string): string {
  return makeBody(tag, new Rng(deriveSeed(0, tag)));
}

interface Outgoing {
  tag: string;
  group?: string;
}

// Sends batches of self-verifying bodies, through the library or through `mq send` (stdin lines). FIFO:
// each message goes to one of `groups` with its tag as dedup id; the batch is logged as an intent first,
// and a process whose predecessor was killed before its send returned sends that batch again first (as
// a producer retrying after a crash does), which deduplication must turn into the original messages.
export async function produce(w: WorkerContext, queue: string, groups?: string[]): Promise<void> {
  const durability = durabilityOf(w);
  const q = openBackend({ home: w.home, durability }).queues;
  const sendFifo = async (messages: Outgoing[]) => {
    const outcomes = await w.op('send', () => q.send(queue, messages.map((m) => ({ body: bodyOf(m.tag), group: m.group!, dedupId: m.tag }))));
    w.log({
      t: 'sent',
      msgs: outcomes.map((o, i) => {
        if (!o.ok) throw o.error;
        const m = messages[i]!;
        return { id: o.id, tag: m.tag, group: m.group, seq: o.sequence, dedupId: m.tag, ...(o.duplicate ? { duplicate: true } : {}) };
      }),
    });
  };
  if (groups) {
    const previous = w.previous();
    const lastIntent = previous.filter((e) => e.t === 'intent').at(-1);
    const sent = new Set(previous.filter((e) => e.t === 'sent').flatMap((e) => (e.msgs as { tag: string }[]).map((m) => m.tag)));
    const unfinished = ((lastIntent?.msgs ?? []) as Outgoing[]).filter((m) => !sent.has(m.tag));
    if (unfinished.length > 0 && w.more()) {
      w.log({ t: 'retry', count: unfinished.length });
      await sendFifo(unfinished);
    }
  }
  let k = 0;
  while (w.more()) {
    const count = w.rng.chance(0.1) ? w.rng.int(50, 300) : w.rng.int(1, 20);
    // A FIFO batch often goes to one group only, so groups build long backlogs.
    const batchGroup = groups && w.rng.chance(0.5) ? w.rng.pick(groups) : undefined;
    const messages: Outgoing[] = Array.from({ length: count }, () => ({
      tag: `${w.tag}.${k++}`, ...(groups ? { group: batchGroup ?? w.rng.pick(groups) } : {}),
    }));
    if (groups) {
      w.log({ t: 'intent', msgs: messages });
      await sendFifo(messages);
    } else if (w.rng.chance(0.3)) {
      let printed = 0;
      const env = { MQ_HOME: w.home, MQ_DURABILITY: durability };
      const run = await w.op('send', () => runCli(['send', queue], env, `${messages.map((m) => bodyOf(m.tag)).join('\n')}\n`, (id) => {
        w.log({ t: 'sent', msgs: [{ id, tag: messages[printed++]!.tag }] });
      }));
      if (run.exitCode !== 0 || printed !== count) throw new Error(`mq send exited ${run.exitCode} after ${printed} of ${count} ids: ${run.stderr}`);
    } else {
      const outcomes = await w.op('send', () => q.send(queue, messages.map((m) => ({ body: bodyOf(m.tag) }))));
      w.log({
        t: 'sent',
        msgs: outcomes.map((o, i) => {
          if (!o.ok) throw o.error;
          return { id: o.id, tag: messages[i]!.tag };
        }),
      });
    }
  }
}

export interface ConsumerWeights {
  ack: number;
  extend: number;
  nack: number;
  abandon: number;
}

const isStale = (error: unknown) => isMqError(error, 'RECEIPT_STALE');

// Receives batches and, per message (standard) or per batch (FIFO), acks, extends, gives back (nack) or
// abandons (leaves it to time out), at random.
export async function consume(w: WorkerContext, queue: string, weights: ConsumerWeights): Promise<void> {
  const q = openBackend({ home: w.home, durability: durabilityOf(w) }).queues;
  const params = w.params as unknown as QueueParams;
  const between = ([min, max]: [number, number]) => w.rng.int(min, max);
  const ack = async (messages: { id: string; receipt: string }[]) => {
    if (messages.length === 0) return;
    w.log({ t: 'acking', at: nowNs(), ids: messages.map((m) => m.id) });
    const outcomes = await w.op('ack', () => q.ack(queue, messages.map((m) => m.receipt)));
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) if (!o.ok && !isStale(o.error)) throw o.error;
    w.log({ t: 'acked', ok: outcomes.length - failed.length, stale: failed.length });
  };
  // A visibility change; the receipt to use from then on, or null when it was stale.
  const change = async (kind: 'extend' | 'nack', id: string, receipt: string, timeoutMs: number) => {
    try {
      const next = await w.op(kind, () => q.changeVisibility(queue, receipt, timeoutMs));
      w.log({ t: kind === 'extend' ? 'extended' : 'nacked', id });
      return w.rng.chance(0.5) ? next : receipt;
    } catch (error) {
      if (!isStale(error)) throw error;
      w.log({ t: 'stale', id, op: kind });
      return null;
    }
  };

  while (w.more()) {
    const messages = await w.op('receive', () => q.receive(queue, {
      max: w.rng.pick([1, 1, 2, 3, 5, 10]), visibilityTimeoutMs: between(params.visibilityMs), waitMs: w.rng.pick([0, 0, 50]),
    }));
    if (messages.length === 0) {
      await sleep(10);
      continue;
    }
    w.log({ t: 'recv', at: nowNs(), q: queue, msgs: messages.map(describeDelivery) });
    const held = messages.map((m) => ({ id: m.id, receipt: m.receipt! }));
    if (messages[0]!.group === undefined) {
      const toAck: typeof held = [];
      for (const m of held) {
        const action = w.rng.weighted(weights as unknown as Record<string, number>);
        if (action === 'ack') toAck.push(m);
        else if (action === 'extend') {
          const receipt = await change('extend', m.id, m.receipt, between(params.extendMs));
          if (receipt && w.rng.chance(0.7)) toAck.push({ id: m.id, receipt });
        } else if (action === 'nack') await change('nack', m.id, m.receipt, 0);
      }
      await ack(toAck);
      continue;
    }
    // FIFO: sometimes work on the batch a while, extending it now and then as `mq work` does (each
    // extension renames the in-flight files while other consumers scan the group).
    if (w.rng.chance(0.3)) {
      for (let round = w.rng.int(1, 5); round > 0 && held.length > 0; round--) {
        await sleep(w.rng.int(0, 30));
        for (const m of held) m.receipt = (await change('extend', m.id, m.receipt, between(params.extendMs))) ?? m.receipt;
      }
    }
    // FIFO: ack a prefix of the batch (usually all of it), then give back, extend or abandon the rest.
    const prefix = w.rng.chance(0.7) ? held.length : w.rng.int(0, held.length);
    await ack(held.slice(0, prefix));
    const rest = held.slice(prefix);
    const action = w.rng.weighted({ nack: weights.nack, extend: weights.extend, abandon: weights.abandon });
    if (action === 'nack') {
      for (const m of rest) await change('nack', m.id, m.receipt, 0);
    } else if (action === 'extend') {
      const kept: typeof held = [];
      for (const m of rest) {
        const receipt = await change('extend', m.id, m.receipt, between(params.extendMs));
        if (receipt) kept.push({ id: m.id, receipt });
      }
      await ack(kept);
    }
  }
}

// Recovery's drain: receives everything left (the janitors run inside receive), acks it, and adds the
// batches to `logs` as deliveries from 'drain'. Returns what it drained.
export async function drainQueue(home: string, queue: string, logs: QueueLogs): Promise<Delivery[]> {
  const q = openBackend({ home, durability: 'none' }).queues;
  const drained: Delivery[] = [];
  for (;;) {
    const messages = await q.receive(queue, { max: 10_000, visibilityTimeoutMs: 600_000, waitMs: 0 });
    if (messages.length === 0) return drained;
    addBatch(logs, process.hrtime.bigint(), queue, messages.map(describeDelivery), 'drain');
    drained.push(...logs.batches.at(-1)!.msgs);
    const at = process.hrtime.bigint();
    for (const m of messages) if (!logs.acking.has(m.id)) logs.acking.set(m.id, at);
    const outcomes = await q.ack(queue, messages.map((m) => m.receipt!));
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw failed.error;
  }
}
