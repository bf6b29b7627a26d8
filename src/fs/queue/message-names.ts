// The file-name grammar of queue messages. Every piece of mutable message state lives in the file's
// name, so a state change is one rename and a scan needs no stat and no read:
//
//   ready/<b24>/<b16>/<b8>/<visibleAt>.<id>.<receiveCount>.<firstReceivedAt>[.<source>]
//   inflight/<b16>/<deadline>.<id>.<receiveCount>.<firstReceivedAt>.<receivedAt>.<nonce>[.<source>]
//
// Times are 13-digit epoch milliseconds (0 when unset), so names sort by time; <id> is a ULID, whose
// first 10 characters encode the send time; <nonce> is fresh for every receive and makes the receipt
// of one delivery useless for the next; <source>, on a dead letter, names the queue it came from. The
// file's content (message-file.ts) never changes, so moving a message to a dead-letter queue, or back
// as a new message with a new id, is one rename too. Buckets are named by their start time in milliseconds.
import { decodeTime } from '../../core/ids.js';

export interface ReadyName {
  visibleAt: number;
  id: string;
  receiveCount: number;
  firstReceivedAt: number;
  deadLetterSource?: string;
}

export interface InFlightName {
  deadline: number;
  id: string;
  receiveCount: number;
  firstReceivedAt: number;
  receivedAt: number;
  nonce: string;
  deadLetterSource?: string;
}

// The pieces of the grammar, shared with the FIFO names (fifo/fifo-names.ts). Each is one capture group.
export const NAME_PATTERNS = {
  TIME: '(\\d{13})',
  ID: '([0-9A-HJKMNP-TV-Z]{26})',
  COUNT: '(0|[1-9]\\d{0,8})',
  NONCE: '([0-9a-f]{16})',
  SOURCE: '(?:\\.([A-Za-z0-9_-]{1,80}(?:\\.fifo)?))?',
} as const;
const { TIME, ID, COUNT, NONCE, SOURCE } = NAME_PATTERNS;
const READY_NAME = new RegExp(`^${TIME}\\.${ID}\\.${COUNT}\\.${TIME}${SOURCE}$`);
const IN_FLIGHT_NAME = new RegExp(`^${TIME}\\.${ID}\\.${COUNT}\\.${TIME}\\.${TIME}\\.${NONCE}${SOURCE}$`);

export function formatTime(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, '0');
}

export function sourceSuffix(source: string | undefined): string {
  return source === undefined ? '' : `.${source}`;
}

export function formatReadyName(name: ReadyName): string {
  return `${formatTime(name.visibleAt)}.${name.id}.${name.receiveCount}.${formatTime(name.firstReceivedAt)}${sourceSuffix(name.deadLetterSource)}`;
}

export function parseReadyName(text: string): ReadyName | null {
  const m = READY_NAME.exec(text);
  if (!m) return null;
  const name: ReadyName = { visibleAt: Number(m[1]), id: m[2]!, receiveCount: Number(m[3]), firstReceivedAt: Number(m[4]) };
  if (m[5] !== undefined) name.deadLetterSource = m[5];
  return name;
}

export function formatInFlightName(name: InFlightName): string {
  return [
    formatTime(name.deadline), name.id, name.receiveCount, formatTime(name.firstReceivedAt),
    formatTime(name.receivedAt), name.nonce,
  ].join('.') + sourceSuffix(name.deadLetterSource);
}

export function parseInFlightName(text: string): InFlightName | null {
  const m = IN_FLIGHT_NAME.exec(text);
  if (!m) return null;
  const name: InFlightName = {
    deadline: Number(m[1]), id: m[2]!, receiveCount: Number(m[3]), firstReceivedAt: Number(m[4]),
    receivedAt: Number(m[5]), nonce: m[6]!,
  };
  if (m[7] !== undefined) name.deadLetterSource = m[7];
  return name;
}

// What identifies one delivery of a message whatever its current deadline: id, count and nonce.
export function deliveryKey(name: InFlightName): string {
  return `${name.id}.${name.receiveCount}.${name.nonce}`;
}

// The send time of a message, read from its ULID.
export function sentAtOf(id: string): number {
  return decodeTime(id);
}

// Ready messages sit three buckets deep (widths 2^24, 2^16 and 2^8 ms: about 4.7 h, 65 s and 256 ms), so
// no directory a receive lists grows with the backlog; in-flight ones sit one level deep (2^16 ms).
export const READY_BUCKET_SHIFTS = [24, 16, 8] as const;
export const IN_FLIGHT_BUCKET_SHIFT = 16;

export function bucketStart(ms: number, shift: number): number {
  const width = 2 ** shift;
  return Math.floor(ms / width) * width;
}

export function bucketEnd(start: number, shift: number): number {
  return start + 2 ** shift;
}

// The bucket directories (outermost first) that hold a ready message visible at `visibleAt`.
export function readyBucketPath(visibleAt: number): string[] {
  return READY_BUCKET_SHIFTS.map((shift) => formatTime(bucketStart(visibleAt, shift)));
}

export function inFlightBucket(deadline: number): string {
  return formatTime(bucketStart(deadline, IN_FLIGHT_BUCKET_SHIFT));
}

// A bucket name is its start time; anything else in a bucket directory is ignored.
export function parseBucketName(text: string): number | null {
  return /^\d{13}$/.test(text) ? Number(text) : null;
}
