// The stream guarantees as checks over what workers logged and what recovery read, pure functions over
// plain data (tested on hand-made logs in checks.test.ts). Log conventions: a producer logs
// {t:'put', recs:[[shard, sequence, tag]]} only after the put returned (or `mq put` printed it); a group
// consumer logs what it read before checkpointing it; a reader logs {t:'scan', shard, count, last, hash,
// problems} for each whole-shard read it made while writers were busy.

export interface StoredRecord {
  shardId: string;
  sequence: string;
  counter: number;
  tag: string | null;
}

export type AckedPut = [shardId: string, sequence: string, tag: string];

// Every acknowledged put is stored, at its sequence number, with its data; no sequence number was
// acknowledged twice.
export function checkPutsStored(acked: AckedPut[], stored: Map<string, StoredRecord>): string[] {
  const violations: string[] = [];
  const seen = new Map<string, string>();
  let missing = 0;
  let example = '';
  for (const [shardId, sequence, tag] of acked) {
    const earlier = seen.get(sequence);
    if (earlier !== undefined) violations.push(`sequence ${sequence} acknowledged twice (${earlier} and ${tag})`);
    seen.set(sequence, tag);
    const record = stored.get(sequence);
    if (!record || record.tag !== tag || record.shardId !== shardId) {
      missing++;
      example ||= `${tag} at ${shardId} ${sequence} (found ${record ? record.tag : 'nothing'})`;
    }
  }
  if (missing > 0) violations.push(`${missing} acknowledged puts not stored as acknowledged, e.g. ${example}`);
  return violations.slice(0, 20);
}

// Nothing half-written: every stored record's data verified, and shards hold consecutive counters from 1.
export function checkRecordsWhole(byShard: Map<string, StoredRecord[]>): string[] {
  const violations: string[] = [];
  for (const [shardId, records] of byShard) {
    const bad = records.filter((r) => r.tag === null);
    if (bad.length > 0) violations.push(`${shardId}: ${bad.length} records whose data does not verify, e.g. ${bad[0]!.sequence}`);
    const gap = records.findIndex((r, i) => r.counter !== i + 1);
    if (gap !== -1) violations.push(`${shardId}: counter ${records[gap]!.counter} at position ${gap + 1}`);
  }
  return violations;
}

// At least once for a consumer group: every acknowledged put was read by the group during the run or
// by the drain after its last checkpoint.
export function checkGroupCovered(group: string, acked: AckedPut[], read: Set<string>): string[] {
  const missing = acked.filter(([, sequence]) => !read.has(sequence));
  return missing.length === 0 ? [] : [`group ${group}: ${missing.length} acknowledged puts never read, e.g. ${missing.slice(0, 3).map((m) => m[1]).join(', ')}`];
}

// What the group printed or logged is what the shard holds at that sequence number.
export function checkGroupReads(group: string, reads: { sequence: string; tag: string | null }[], stored: Map<string, StoredRecord>): string[] {
  const wrong = reads.filter((r) => r.tag === null || stored.get(r.sequence)?.tag !== r.tag);
  return wrong.length === 0 ? [] : [`group ${group}: ${wrong.length} records read that are not what the shard holds, e.g. ${JSON.stringify(wrong[0])}`];
}

// The rolling hash a reader keeps over a shard's records: (sequence, tag) in order.
export function rollHash(hash: number, sequence: string, tag: string | null): number {
  let h = hash >>> 0;
  for (const char of `${sequence}:${tag}\n`) {
    h ^= char.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Scan {
  shard: string;
  count: number;
  hash: number;
  problems: string[];
}

// A record once read never changes or disappears: every scan made during the run saw a prefix of what
// the shard finally holds, and found nothing wrong on the way.
export function checkScans(scans: Scan[], byShard: Map<string, StoredRecord[]>): string[] {
  const violations: string[] = [];
  const prefixHashes = new Map<string, number[]>();
  for (const [shardId, records] of byShard) {
    const hashes = [0];
    for (const r of records) hashes.push(rollHash(hashes.at(-1)!, r.sequence, r.tag));
    prefixHashes.set(shardId, hashes);
  }
  for (const scan of scans) {
    for (const problem of scan.problems) violations.push(`a reader of ${scan.shard} saw: ${problem}`);
    const hashes = prefixHashes.get(scan.shard) ?? [0];
    if (scan.count >= hashes.length) violations.push(`a reader saw ${scan.count} records in ${scan.shard}, which now holds ${hashes.length - 1}`);
    else if (hashes[scan.count] !== scan.hash) violations.push(`a reader's first ${scan.count} records of ${scan.shard} differ from what the shard now holds`);
  }
  return violations.slice(0, 20);
}
