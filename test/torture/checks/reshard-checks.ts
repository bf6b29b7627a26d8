// Checks of the resharding and lease scenario (scenarios/stream-reshard.ts), pure functions over plain
// data (tested on hand-made histories in checks.test.ts).
//
// A chain is the records one producer process put with one partition key, numbered 0, 1, 2, ... in the
// order it put them (each put waited for the one before), tagged `PRODUCER/KEY/N`. A delivery is one
// record handed to the group's handler, logged by it before it returns (so before the checkpoint that
// covers it), with the monotonic clock's time, the consumer process and its session: one hold of one
// shard's lease by one process, from the lease taken to the lease released, lost or the process dead.

export interface ChainTag {
  chain: string;
  n: number;
}

// `p0.3/k2/17` -> chain `p0.3/k2`, n 17; anything else (markers, torn data) -> null.
export function parseChainTag(tag: string | null): ChainTag | null {
  if (tag === null) return null;
  const match = /^(.+\/[^/]+)\/(\d+)$/.exec(tag);
  return match ? { chain: match[1]!, n: Number(match[2]) } : null;
}

export interface StoredChainRecord {
  shardId: string;
  sequence: string;
  counter: number;
  tag: string | null;
}

// Exactly once in the store: no record's data (its tag) is stored twice, in one shard or in two.
export function checkStoredOnce(records: StoredChainRecord[]): string[] {
  const seen = new Map<string, string>();
  const violations: string[] = [];
  for (const r of records) {
    if (r.tag === null) continue;
    const earlier = seen.get(r.tag);
    if (earlier !== undefined) violations.push(`${r.tag} stored twice: at ${earlier} and ${r.sequence}`);
    seen.set(r.tag, r.sequence);
  }
  return violations.slice(0, 20);
}

// A chain's stored records are a prefix 0..m of what its producer put (a put killed half-way stores a
// prefix of its batch and the producer is gone), and, read shard by shard in lineage order, in order:
// within each shard its counters rise.
export function checkChainsStored(records: StoredChainRecord[]): string[] {
  const byChain = new Map<string, number[]>();
  const violations: string[] = [];
  const lastInShard = new Map<string, number>();
  for (const r of records) {
    const parsed = parseChainTag(r.tag);
    if (!parsed) continue;
    byChain.set(parsed.chain, [...(byChain.get(parsed.chain) ?? []), parsed.n]);
    const key = `${r.shardId} ${parsed.chain}`;
    const before = lastInShard.get(key);
    if (before !== undefined && parsed.n <= before) violations.push(`${r.shardId}: ${parsed.chain} record ${parsed.n} stored after record ${before}`);
    lastInShard.set(key, parsed.n);
  }
  for (const [chain, ns] of byChain) {
    const sorted = [...ns].sort((a, b) => a - b);
    const hole = sorted.findIndex((n, i) => n !== i);
    if (hole !== -1) violations.push(`${chain}: record ${sorted[hole]} stored but record ${hole} is not (stored ${sorted.length})`);
  }
  return violations.slice(0, 20);
}

export interface ShardState {
  shardId: string;
  state: 'open' | 'closed';
  // The counter of the ending sequence number of a closed shard.
  endingCounter?: number;
  // What its `closed` marker file says (null: none).
  marker: number | null;
}

// No record in a closed shard after its ending sequence number, and the ending sequence number is its
// last record (none lost behind it); the closed marker agrees with the map (shards made and closed within
// one plan have none, and no records); shard directories the map
// does not name (made by a resharder killed before it published its map) hold nothing.
export function checkShardEnds(shards: ShardState[], counters: Map<string, number[]>, unmapped: string[]): string[] {
  const violations: string[] = [];
  for (const shard of shards) {
    const held = counters.get(shard.shardId) ?? [];
    const last = held.length > 0 ? held.at(-1)! : 0;
    if (shard.state === 'closed') {
      if (shard.endingCounter !== last) violations.push(`${shard.shardId}: closed with ending counter ${shard.endingCounter}, holds records up to ${last}`);
      // A shard made and closed within one reshard plan never was open in a published map: no marker.
      const intermediate = shard.marker === null && shard.endingCounter === 0;
      if (shard.marker !== shard.endingCounter && !intermediate) violations.push(`${shard.shardId}: closed marker says ${shard.marker}, the map ${shard.endingCounter}`);
    } else if (shard.marker !== null) {
      violations.push(`${shard.shardId}: open in the map but a closed marker (${shard.marker}) is still there after a put to it`);
    }
  }
  for (const shardId of unmapped) {
    const held = counters.get(shardId) ?? [];
    if (held.length > 0) violations.push(`${shardId}: not in the shard map, yet holds ${held.length} records`);
  }
  return violations;
}

// Routing: every record of a producer (routed by partition key) lies in a shard whose hash key range
// holds its key's hash.
export function checkRouting(records: { shardId: string; sequence: string; hash: bigint }[], ranges: Map<string, [bigint, bigint]>): string[] {
  const wrong = records.filter((r) => {
    const range = ranges.get(r.shardId);
    return !range || r.hash < range[0] || r.hash > range[1];
  });
  return wrong.length === 0 ? [] : [`${wrong.length} records stored in a shard whose hash key range does not hold their key, e.g. ${wrong[0]!.sequence} in ${wrong[0]!.shardId}`];
}

export interface Delivery {
  // Monotonic nanoseconds when the handler logged the batch, as a decimal string.
  at: string;
  // The consumer process and its session (one lease hold of one shard).
  proc: string;
  session: number;
  shardId: string;
  // Position in its batch.
  i: number;
  sequence: string;
  tag: string | null;
}

const byTime = (a: Delivery, b: Delivery) => {
  const x = BigInt(a.at);
  const y = BigInt(b.at);
  return x < y ? -1 : x > y ? 1 : a.i - b.i;
};

// Per-key order across reshards, at least once. For each chain, all deliveries ordered by time:
//  (P1) first deliveries come in order, none skipped: record n is first delivered no earlier than record
//       n-1 (a parent's records of a key before its children's, as lineage order promises);
//  (P2) within one session the chain's counters rise by exactly one per delivery. So a key's counter goes
//       back only where a session starts: the next holder of the shard replaying the suffix after the
//       last checkpoint (a holder killed, or its lease expired or given back, before it checkpointed).
export function checkDeliveryOrder(deliveries: Delivery[]): string[] {
  const violations: string[] = [];
  const chains = new Map<string, (Delivery & { n: number })[]>();
  for (const d of deliveries) {
    const parsed = parseChainTag(d.tag);
    if (!parsed) continue;
    chains.set(parsed.chain, [...(chains.get(parsed.chain) ?? []), { ...d, n: parsed.n }]);
  }
  for (const [chain, list] of chains) {
    list.sort(byTime);
    let next = 0;
    const lastInSession = new Map<string, number>();
    for (const d of list) {
      if (d.n > next) violations.push(`${chain}: record ${d.n} first delivered (${d.shardId} ${d.sequence}, ${d.proc}) before record ${next}`);
      if (d.n >= next) next = d.n + 1;
      const session = `${d.proc}#${d.session}`;
      const before = lastInSession.get(session);
      if (before !== undefined && d.n !== before + 1) violations.push(`${chain}: record ${d.n} after record ${before} in one session (${session}, ${d.shardId})`);
      lastInSession.set(session, d.n);
    }
  }
  return violations.slice(0, 20);
}

export interface Session {
  proc: string;
  session: number;
  shardId: string;
  // Monotonic nanoseconds when the worker asked for the lease.
  asked: string;
}

export interface CheckpointDone {
  shardId: string;
  // A sequence number or a sentinel.
  checkpoint: string;
  // Monotonic nanoseconds once the store had written it.
  at: string;
}

// (P3) No rewind past a checkpoint: a session starts after every checkpoint of its shard written before
// it asked for the lease, and a shard checkpointed SHARD_END is never delivered again.
export function checkSessionStarts(sessions: Session[], checkpoints: CheckpointDone[], deliveries: Delivery[]): string[] {
  const violations: string[] = [];
  const first = new Map<string, Delivery>();
  for (const d of [...deliveries].sort(byTime)) {
    const key = `${d.proc}#${d.session}`;
    if (!first.has(key)) first.set(key, d);
  }
  for (const s of sessions) {
    const start = first.get(`${s.proc}#${s.session}`);
    if (!start) continue;
    for (const c of checkpoints) {
      if (c.shardId !== s.shardId || BigInt(c.at) >= BigInt(s.asked)) continue;
      if (c.checkpoint === 'SHARD_END' || (/^\d+$/.test(c.checkpoint) && start.sequence <= c.checkpoint)) {
        violations.push(`${s.proc} session ${s.session} on ${s.shardId} started at ${start.sequence}, though checkpoint ${c.checkpoint} was written before it took the lease`);
        break;
      }
    }
  }
  return violations.slice(0, 20);
}

export interface LeaseGrant {
  shardId: string;
  owner: string;
  counter: number;
  updatedAt: number;
  expiresAt: number;
}

// One winner per lease change: no counter of a shard's lease was handed out twice; a lease was taken
// from another owner only once that owner's lease had expired; the file at the end is no older than
// any lease handed out.
export function checkLeaseGrants(grants: LeaseGrant[], final: Map<string, number>): string[] {
  const violations: string[] = [];
  const byShard = new Map<string, LeaseGrant[]>();
  for (const g of grants) byShard.set(g.shardId, [...(byShard.get(g.shardId) ?? []), g]);
  for (const [shardId, list] of byShard) {
    list.sort((a, b) => a.counter - b.counter);
    for (let i = 1; i < list.length; i++) {
      const [prev, cur] = [list[i - 1]!, list[i]!];
      if (prev.counter === cur.counter) violations.push(`${shardId}: lease counter ${cur.counter} handed to ${prev.owner} and ${cur.owner}`);
      else if (prev.counter + 1 === cur.counter && prev.owner !== cur.owner && prev.expiresAt > cur.updatedAt) {
        violations.push(`${shardId}: ${cur.owner} took lease ${cur.counter} at ${cur.updatedAt} while ${prev.owner}'s lease ${prev.counter} ran to ${prev.expiresAt}`);
      }
    }
    const top = list.at(-1)!.counter;
    if ((final.get(shardId) ?? 0) < top) violations.push(`${shardId}: the lease file ends at counter ${final.get(shardId)}, below ${top} handed out`);
  }
  return violations.slice(0, 20);
}

// A fresh group reading once from trim-horizon without crashes: every stored record exactly once, and
// every chain in order 0, 1, 2, ...
export function checkFreshRead(seen: { sequence: string; tag: string | null }[], stored: Map<string, { tag: string | null }>): string[] {
  const violations: string[] = [];
  const sequences = new Set<string>();
  const next = new Map<string, number>();
  for (const r of seen) {
    if (sequences.has(r.sequence)) violations.push(`fresh group: ${r.sequence} read twice`);
    sequences.add(r.sequence);
    if (stored.get(r.sequence)?.tag !== r.tag) violations.push(`fresh group: ${r.sequence} read as ${r.tag}, stored as ${stored.get(r.sequence)?.tag}`);
    const parsed = parseChainTag(r.tag);
    if (!parsed) continue;
    const expected = next.get(parsed.chain) ?? 0;
    if (parsed.n !== expected) violations.push(`fresh group: ${parsed.chain} record ${parsed.n} read where ${expected} was due`);
    next.set(parsed.chain, parsed.n + 1);
  }
  const missing = [...stored.keys()].filter((s) => !sequences.has(s));
  if (missing.length > 0) violations.push(`fresh group: ${missing.length} stored records never read, e.g. ${missing[0]}`);
  return violations.slice(0, 20);
}

// A checkpoint once written (the store returned) is never replaced by an older one: the file at rest
// holds, per shard, the newest checkpoint any worker was told was written, or a later one. (Under the
// lease protocol a shard's checkpoints only move forward: a new holder starts after the last one.)
export function checkCheckpointsKept(written: CheckpointDone[], atRest: Map<string, string>): string[] {
  const rank = (value: string | undefined) => (value === undefined ? '' : value === 'SHARD_END' ? '~' : /^\d+$/.test(value) ? value : '0');
  const newest = new Map<string, string>();
  for (const c of written) if (rank(c.checkpoint) > rank(newest.get(c.shardId))) newest.set(c.shardId, c.checkpoint);
  const violations: string[] = [];
  for (const [shardId, value] of newest) {
    const rest = atRest.get(shardId);
    if (rank(rest) < rank(value)) violations.push(`${shardId}: checkpoint ${value} was written, but the file holds ${rest ?? 'nothing'}`);
  }
  return violations.slice(0, 20);
}
