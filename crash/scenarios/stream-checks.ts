// Recovery and checks shared by the stream scenarios: read every shard from its trim horizon as a reader
// would after the power comes back, hold the records against what `mq put` had printed, then put one
// record more (the writer that cuts off a torn tail) and check that each shard's counters run on without
// a gap or a repeat.
import type { StateCheck } from './scenario.js';
import { jsonLines } from '../run/recover.js';

export interface ReadRecord {
  shard: string;
  sequence: string;
  partitionKey: string;
  data: string;
}

export interface Placed {
  shard: string;
  sequence: string;
}

// Every readable record of the stream, or null when the stream does not exist.
export async function readStream(state: StateCheck, stream: string): Promise<ReadRecord[] | null> {
  const run = await state.mq(['tail', stream, '--from', 'trim-horizon', '-n', '1000000', '--json']);
  if (run.code === 3) return null;
  if (run.code !== 0) {
    state.violation(`mq tail ${stream} exits ${run.code}: ${run.stderr.trim()}`);
    return [];
  }
  return jsonLines<ReadRecord>(run);
}

// `sent` maps each record's data to where `mq put` said it went (undefined while not printed).
export function checkRecords(state: StateCheck, stream: string, records: ReadRecord[], sent: Map<string, Placed | undefined>, options: { mayLack?: (data: string) => boolean } = {}): void {
  const bySequence = new Map<string, ReadRecord>();
  const seenData = new Set<string>();
  for (const record of records) {
    if (bySequence.has(record.sequence)) state.violation(`${stream}: sequence number ${record.sequence} read twice`);
    bySequence.set(record.sequence, record);
    if (!sent.has(record.data)) {
      state.violation(`${stream}: a record nobody put (torn?): ${JSON.stringify(record.data.slice(0, 80))} at ${record.sequence}`);
      continue;
    }
    if (seenData.has(record.data)) state.violation(`${stream}: record ${JSON.stringify(record.data)} read twice`);
    seenData.add(record.data);
  }
  for (const [data, placed] of sent) {
    if (placed === undefined) continue;
    const found = bySequence.get(placed.sequence);
    if (found?.data === data && found.shard === placed.shard) continue;
    if (options.mayLack?.(data)) continue;
    if (state.durability === 'fsync') {
      state.violation(`${stream}: record ${JSON.stringify(data)} at ${placed.shard} ${placed.sequence} was printed by mq put and ${found ? `reads as ${JSON.stringify(found.data)}` : 'is gone'}`);
    } else {
      state.note('printed record lost (allowed under none)');
    }
  }
}

// Each shard's counters, in read order, must go up by one; after a put more, still (a torn tail is cut
// off by that put, whose record takes the next counter). Returns where that put went.
export async function checkCounters(state: StateCheck, stream: string, records: ReadRecord[], options: { fromFirst?: boolean } = {}): Promise<Placed | undefined> {
  checkConsecutive(state, stream, records, options.fromFirst ?? true);
  const put = await state.mq(['put', stream, 'after-recovery', '--json']);
  if (put.code !== 0) {
    state.violation(`mq put ${stream} after recovery exits ${put.code}: ${put.stderr.trim()}`);
    return undefined;
  }
  const [placed] = jsonLines<Placed>(put);
  const after = await readStream(state, stream);
  if (!after) {
    state.violation(`${stream} is gone after a put`);
    return placed;
  }
  checkConsecutive(state, `${stream} (after a put)`, after, options.fromFirst ?? true);
  const last = after.filter((r) => r.shard === placed!.shard).at(-1);
  if (last?.sequence !== placed!.sequence || last.data !== 'after-recovery') state.violation(`${stream}: the record put after recovery is not the last of ${placed!.shard}`);
  return placed;
}

function checkConsecutive(state: StateCheck, stream: string, records: ReadRecord[], fromFirst: boolean): void {
  const last = new Map<string, bigint>();
  for (const record of records) {
    const counter = BigInt(record.sequence.slice(13));
    const previous = last.get(record.shard);
    const expected = previous === undefined ? (fromFirst ? 1n : counter) : previous + 1n;
    if (counter !== expected) state.violation(`${stream}: ${record.shard} has counter ${counter} where ${expected} was due`);
    last.set(record.shard, counter);
  }
}
