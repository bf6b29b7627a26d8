// An in-memory reference model of a FIFO queue as mq implements it: per-group order, a group with
// anything in flight is held back, deduplication for 5 minutes by id (queue scope), exact counts.
// Receives visit groups in random order in the store, so the model checks the shape of a result rather
// than predicting it, then adopts it.
export interface FifoModelMessage {
  id: string;
  body: string;
  group: string;
  seq: number;
  sentAt: number;
  receiveCount: number;
  delivery: { deadline: number; receipt: string } | null;
  // The receipt of the last delivery, kept after it expired: the store returns expired deliveries
  // lazily, so until a receive or count of its group notices, that receipt may still ack.
  lastReceipt?: string;
}

const DEDUP_MS = 5 * 60_000;

export class FifoQueueModel {
  private readonly messages: FifoModelMessage[] = [];
  private readonly dedup = new Map<string, { id: string; at: number }>();
  private nextSeq = 1;

  // The id a send with this dedup id should report: the original's within the window, else the new one.
  send(id: string, body: string, group: string, dedupId: string, now: number): { id: string; duplicate: boolean } {
    const prior = this.dedup.get(dedupId);
    if (prior && prior.at + DEDUP_MS > now) return { id: prior.id, duplicate: true };
    this.dedup.set(dedupId, { id, at: now });
    this.messages.push({ id, body, group, seq: this.nextSeq++, sentAt: now, receiveCount: 0, delivery: null });
    return { id, duplicate: false };
  }

  // An expired delivery is kept until the store shows what became of it: the store returns it to its
  // group lazily (when a receive visits the group), so until then an ack of it may or may not succeed.
  private inFlight(m: FifoModelMessage, now: number): boolean {
    return m.delivery !== null && m.delivery.deadline > now;
  }

  // Per group, the messages a receive may take now: all of a group with nothing (unexpired) in flight.
  available(now: number): Map<string, FifoModelMessage[]> {
    const byGroup = new Map<string, FifoModelMessage[]>();
    for (const m of [...this.messages].sort((a, b) => a.seq - b.seq)) byGroup.set(m.group, [...(byGroup.get(m.group) ?? []), m]);
    for (const [group, list] of byGroup) if (list.some((m) => this.inFlight(m, now))) byGroup.delete(group);
    return byGroup;
  }

  // Checks a receive result against what was available; returns a reason when it is not a valid one.
  problemWith(result: { id: string; group: string }[], max: number, now: number): string | null {
    const available = this.available(now);
    const total = [...available.values()].reduce((n, list) => n + list.length, 0);
    if (result.length !== Math.min(max, total)) return `took ${result.length} of ${total} available with max ${max}`;
    const runs: { group: string; ids: string[] }[] = [];
    for (const m of result) {
      if (runs.at(-1)?.group === m.group) runs.at(-1)!.ids.push(m.id);
      else runs.push({ group: m.group, ids: [m.id] });
    }
    if (new Set(runs.map((r) => r.group)).size !== runs.length) return 'a group came back in two runs';
    for (const [i, run] of runs.entries()) {
      const list = available.get(run.group);
      if (!list) return `group ${run.group} was not available`;
      const prefix = list.slice(0, run.ids.length).map((m) => m.id);
      if (JSON.stringify(prefix) !== JSON.stringify(run.ids)) return `group ${run.group} out of order`;
      if (i < runs.length - 1 && run.ids.length !== list.length) return `group ${run.group} cut short before the batch was full`;
    }
    return null;
  }

  deliver(id: string, receipt: string, now: number, visibilityTimeoutMs: number): void {
    const m = this.messages.find((x) => x.id === id)!;
    m.receiveCount++;
    m.delivery = { deadline: now + visibilityTimeoutMs, receipt };
    m.lastReceipt = receipt;
  }

  receiveCountOf(id: string): number {
    return this.messages.find((m) => m.id === id)!.receiveCount;
  }

  // Ack of a live delivery deletes; of an expired one the store may not have noticed yet, either outcome
  // is right, so the model follows the store (`storeSaid`).
  ack(receipt: string, now: number, storeSaid: boolean): string | null {
    const index = this.messages.findIndex((m) => (m.delivery ? m.delivery.receipt : m.lastReceipt) === receipt);
    const m = this.messages[index];
    const expected = m === undefined ? false : m.delivery && m.delivery.deadline > now ? true : storeSaid;
    if (expected !== storeSaid) return `ack said ${storeSaid}, expected ${expected}`;
    if (storeSaid) this.messages.splice(index, 1);
    return null;
  }

  changeVisibility(receipt: string, timeoutMs: number, now: number): 'ok' | 'RECEIPT_STALE' {
    const m = this.messages.find((x) => x.delivery?.receipt === receipt);
    if (!m || m.delivery!.deadline <= now) return 'RECEIPT_STALE';
    if (timeoutMs === 0) m.delivery = null;
    else m.delivery!.deadline = now + timeoutMs;
    return 'ok';
  }

  counts(now: number): { visible: number; inFlight: number } {
    const inFlight = this.messages.filter((m) => this.inFlight(m, now)).length;
    return { visible: this.messages.length - inFlight, inFlight };
  }
}
