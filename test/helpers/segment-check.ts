// Reads every segment file of every stream in a store byte by byte, independently of the store's own
// reader, and reports what a damaged store would show: a line without its newline, a line that is not
// the record format, a checksum that does not match (MurmurHash3 x86 32-bit, computed here from
// scratch), counters that repeat or skip within a shard, or arrival times that go back.
import fs from 'node:fs';
import path from 'node:path';

export interface SegmentRecord {
  shardId: string;
  sequence: string;
  counter: number;
  arrivedAt: number;
  partitionKey: string;
  data: string;
}

export interface StoreScan {
  // Records by stream and shard, in file order.
  records: Map<string, Map<string, SegmentRecord[]>>;
  problems: string[];
}

function murmur3(bytes: Buffer): number {
  let h = 0;
  const tail = bytes.length & ~3;
  for (let i = 0; i < tail; i += 4) {
    let k = bytes.readInt32LE(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = bytes[tail]!;
    if (rest > 1) k ^= bytes[tail + 1]! << 8;
    if (rest > 2) k ^= bytes[tail + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function murmur3Hex(text: string): string {
  return murmur3(Buffer.from(text)).toString(16).padStart(8, '0');
}

const SUFFIX = /,"c":"([0-9a-f]{8})"\}$/;

// Checks one line (without its newline); returns the record or why it is not one.
export function checkLine(line: Buffer, shardId: string): SegmentRecord | string {
  const text = line.toString('utf8');
  const suffix = SUFFIX.exec(text);
  if (!suffix) return 'no checksum field at the end';
  const covered = line.subarray(0, line.length - suffix[0].length);
  if (murmur3(covered).toString(16).padStart(8, '0') !== suffix[1]) return 'checksum mismatch';
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  const keys = Object.keys(value).join(',');
  if (keys !== 's,t,k,d,c') return `fields ${keys}`;
  const { s, t, k, d } = value;
  if (typeof s !== 'string' || !/^1\d{32}$/.test(s) || typeof t !== 'number' || typeof k !== 'string' || typeof d !== 'string') return 'field types';
  if (Number(s.slice(1, 13)) !== Number(shardId.slice(-12))) return `sequence ${s} of another shard`;
  return { shardId, sequence: s, counter: Number(s.slice(13)), arrivedAt: t, partitionKey: k, data: d };
}

// Scans every stream of the store at `home`. With `tornTailAllowed`, a last line without its newline in
// the newest segment of a shard is not a problem (a writer was killed and no put has repaired it yet).
export function scanStore(home: string, options: { tornTailAllowed?: boolean } = {}): StoreScan {
  const scan: StoreScan = { records: new Map(), problems: [] };
  const streamsDir = path.join(home, 'streams');
  if (!fs.existsSync(streamsDir)) return scan;
  for (const stream of fs.readdirSync(streamsDir).filter((name) => !name.startsWith('.'))) {
    const byShard = new Map<string, SegmentRecord[]>();
    scan.records.set(stream, byShard);
    const shardsDir = path.join(streamsDir, stream, 'shards');
    for (const shardId of fs.existsSync(shardsDir) ? fs.readdirSync(shardsDir).sort() : []) {
      const records: SegmentRecord[] = [];
      byShard.set(shardId, records);
      const dir = path.join(shardsDir, shardId);
      const segments = fs.readdirSync(dir).filter((name) => /^\d{20}\.ndjson$/.test(name)).sort();
      for (const [index, segment] of segments.entries()) {
        const where = `${stream}/${shardId}/${segment}`;
        const bytes = fs.readFileSync(path.join(dir, segment));
        let start = 0;
        let first = true;
        while (start < bytes.length) {
          const newline = bytes.indexOf(0x0a, start);
          if (newline === -1) {
            if (!(options.tornTailAllowed && index === segments.length - 1)) scan.problems.push(`${where}: ${bytes.length - start} bytes without a newline at the end`);
            break;
          }
          const record = checkLine(bytes.subarray(start, newline), shardId);
          if (typeof record === 'string') {
            scan.problems.push(`${where} at byte ${start}: ${record}`);
          } else {
            if (first && record.counter !== Number(segment.slice(0, 20))) scan.problems.push(`${where}: first counter ${record.counter} does not match the file name`);
            const previous = records.at(-1);
            if (previous && record.counter !== previous.counter + 1) scan.problems.push(`${where}: counter ${record.counter} after ${previous.counter}`);
            if (previous && record.arrivedAt < previous.arrivedAt) scan.problems.push(`${where}: arrival time ${record.arrivedAt} before ${previous.arrivedAt}`);
            records.push(record);
          }
          first = false;
          start = newline + 1;
        }
      }
    }
  }
  return scan;
}
