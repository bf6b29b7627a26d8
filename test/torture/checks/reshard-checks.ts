// Checks of the resharding and lease scenario (scenarios/stream-reshard.ts), pure functions over plain
// data (tested on hand-made histories in checks.test.ts).
//
// A chain is the records of one producer slot with one partition key, across the slot's processes:
// tagged `SLOT/KEY/I.K`, the K-th record of that key put by incarnation I of the slot. A slot's next
// process starts only once the one before is gone, and each process waits for a put before the next, so
// (I, K) order is put order: the chain's rank is I * 1,000,000 + K. Within one incarnation a chain's
// stored records are K = 0..m (a put killed half-way stores a prefix of its batch, and the process is
// gone); across incarnations there are holes (the records of a put that was killed before it wrote).
// A delivery is one record handed to the group's handler, logged by it before it returns (so before the
// checkpoint that covers it), with the monotonic clock's time, the consumer process and its session: one
// hold of one shard's lease by one process, from the lease taken to the lease released, lost or the
// process dead.

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface ChainTag {
  chain: string;
  incarnation: number;
  k: number;
  rank: number;
}

// `p0/k2/3.17` -> chain `p0/k2`, incarnation 3, k 17; anything else (markers, torn data) -> null.
export function parseChainTag(tag: string | null): ChainTag | null {
  if (tag === null) return null;
  const match = /^(.+\/[^/]+)\/(\d+)\.(\d+)$/.exec(tag);
  if (!match) return null;
  const [incarnation, k] = [Number(match[2]), Number(match[3])];
  return { chain: match[1]!, incarnation, k, rank: incarnation * 1_000_000 + k };
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

// Within each incarnation a chain's stored records are a prefix K = 0..m of what it put, and within each
// shard a chain's records are in put order.
export function checkChainsStored(records: StoredChainRecord[]): string[] {
  const byIncarnation = new Map<string, number[]>();
  const violations: string[] = [];
  const lastInShard = new Map<string, number>();
  for (const r of records) {
    const parsed = parseChainTag(r.tag);
    if (!parsed) continue;
    const key = `${parsed.chain} ${parsed.incarnation}`;
    append(byIncarnation, key, parsed.k);
    const inShard = `${r.shardId} ${parsed.chain}`;
    const before = lastInShard.get(inShard);
    if (before !== undefined && parsed.rank <= before) violations.push(`${r.shardId}: ${r.tag} stored after rank ${before} of its chain`);
    lastInShard.set(inShard, parsed.rank);
  }
  for (const [key, ks] of byIncarnation) {
    const sorted = [...ks].sort((a, b) => a - b);
    const hole = sorted.findIndex((k, i) => k !== i);
    if (hole !== -1) violations.push(`${key}: record ${sorted[hole]} stored but record ${hole} is not (stored ${sorted.length})`);
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

// Per-key order across reshards, at least once. For each chain, its stored records in put order, and all
// deliveries of them ordered by time (then position in the batch):
//  (P1) first deliveries come in put order: no stored record is first delivered before an earlier stored
//       record of its chain (a parent's records of a key before its children's, as lineage order promises;
//       that each is delivered at all is the coverage check);
//  (P2) within one session each delivery of a chain is the next stored record after the session's previous
//       one. So a key goes back only where a session starts: the next holder of the shard replaying the
//       suffix after the last checkpoint (a holder killed, or its lease expired or given back, before it
//       checkpointed).
export function checkDeliveryOrder(deliveries: Delivery[], storedTags: (string | null)[]): string[] {
  const violations: string[] = [];
  // Each stored chain record's position in its chain's put order.
  const ranks = new Map<string, number[]>();
  for (const tag of storedTags) {
    const parsed = parseChainTag(tag);
    if (parsed) append(ranks, parsed.chain, parsed.rank);
  }
  const position = new Map<string, number>();
  for (const [chain, list] of ranks) list.sort((a, b) => a - b).forEach((rank, i) => position.set(`${chain} ${rank}`, i));
  const chains = new Map<string, (Delivery & { pos: number })[]>();
  for (const d of deliveries) {
    const parsed = parseChainTag(d.tag);
    const pos = parsed && position.get(`${parsed.chain} ${parsed.rank}`);
    if (!parsed || pos === undefined || pos === null) continue;
    append(chains, parsed.chain, { ...d, pos });
  }
  for (const [chain, list] of chains) {
    list.sort(byTime);
    const first = new Set<number>();
    let highest = -1;
    const lastInSession = new Map<string, number>();
    for (const d of list) {
      if (!first.has(d.pos)) {
        first.add(d.pos);
        if (d.pos < highest) violations.push(`${chain}: ${d.tag} first delivered (${d.shardId} ${d.sequence}, ${d.proc}) after a later record of its chain`);
        highest = Math.max(highest, d.pos);
      }
      const session = `${d.proc}#${d.session}`;
      const before = lastInSession.get(session);
      if (before !== undefined && d.pos !== before + 1) violations.push(`${chain}: ${d.tag} delivered in one session (${session}, ${d.shardId}) after the chain's record at position ${before}`);
      lastInSession.set(session, d.pos);
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
  for (const g of grants) append(byShard, g.shardId, g);
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
// every chain in put order.
export function checkFreshRead(seen: { sequence: string; tag: string | null }[], stored: Map<string, { tag: string | null }>): string[] {
  const violations: string[] = [];
  const sequences = new Set<string>();
  const last = new Map<string, number>();
  for (const r of seen) {
    if (sequences.has(r.sequence)) violations.push(`fresh group: ${r.sequence} read twice`);
    sequences.add(r.sequence);
    if (stored.get(r.sequence)?.tag !== r.tag) violations.push(`fresh group: ${r.sequence} read as ${r.tag}, stored as ${stored.get(r.sequence)?.tag}`);
    const parsed = parseChainTag(r.tag);
    if (!parsed) continue;
    const before = last.get(parsed.chain);
    if (before !== undefined && parsed.rank <= before) violations.push(`fresh group: ${r.tag} read after rank ${before} of its chain`);
    last.set(parsed.chain, parsed.rank);
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
