// The file-name grammar of FIFO queues. A group's messages live in its own directory (group.ts), named
// by the queue-wide sequence number first, so sorting a listing gives the group's order:
//
//   ready/<bucket>/<sequence>.<id>.<receiveCount>.<firstReceivedAt>[.<source>]
//   inflight/<sequence>.<deadline>.<id>.<receiveCount>.<firstReceivedAt>.<receivedAt>.<nonce>[.<source>]
//
// A group id may hold any printable ASCII (slashes included), so its directory is "g" + base64url(id).
import { NAME_PATTERNS, formatTime, sourceSuffix } from '../message-names.js';
import { relativePath, splitRelativePath } from '../../layout.js';

const { TIME, ID, COUNT, NONCE, SOURCE } = NAME_PATTERNS;
const SEQUENCE = '(\\d{20})';
const READY = new RegExp(`^${SEQUENCE}\\.${ID}\\.${COUNT}\\.${TIME}${SOURCE}$`);
const IN_FLIGHT = new RegExp(`^${SEQUENCE}\\.${TIME}\\.${ID}\\.${COUNT}\\.${TIME}\\.${TIME}\\.${NONCE}${SOURCE}$`);
const GROUP_DIR = /^g[A-Za-z0-9_-]{2,172}$/;

export interface FifoReadyName {
  sequence: string;
  id: string;
  receiveCount: number;
  firstReceivedAt: number;
  deadLetterSource?: string;
}

export interface FifoInFlightName extends FifoReadyName {
  deadline: number;
  receivedAt: number;
  nonce: string;
}

export function formatSequence(value: bigint): string {
  return value.toString().padStart(20, '0');
}

// The ready bucket of a sequence number: its first 17 digits (1,000 sequence numbers a bucket).
export function sequenceBucket(sequence: string): string {
  return sequence.slice(0, 17);
}

export function groupDirName(group: string): string {
  return `g${Buffer.from(group, 'utf8').toString('base64url')}`;
}

export function parseGroupDirName(text: string): string | null {
  if (!GROUP_DIR.test(text)) return null;
  const group = Buffer.from(text.slice(1), 'base64url').toString('utf8');
  return groupDirName(group) === text ? group : null;
}

export function formatFifoReadyName(name: FifoReadyName): string {
  return `${name.sequence}.${name.id}.${name.receiveCount}.${formatTime(name.firstReceivedAt)}${sourceSuffix(name.deadLetterSource)}`;
}

export function formatFifoInFlightName(name: FifoInFlightName): string {
  return [
    name.sequence, formatTime(name.deadline), name.id, name.receiveCount, formatTime(name.firstReceivedAt),
    formatTime(name.receivedAt), name.nonce,
  ].join('.') + sourceSuffix(name.deadLetterSource);
}

export function parseFifoReadyName(text: string): FifoReadyName | null {
  const m = READY.exec(text);
  if (!m) return null;
  const name: FifoReadyName = { sequence: m[1]!, id: m[2]!, receiveCount: Number(m[3]), firstReceivedAt: Number(m[4]) };
  if (m[5] !== undefined) name.deadLetterSource = m[5];
  return name;
}

export function parseFifoInFlightName(text: string): FifoInFlightName | null {
  const m = IN_FLIGHT.exec(text);
  if (!m) return null;
  const name: FifoInFlightName = {
    sequence: m[1]!, deadline: Number(m[2]), id: m[3]!, receiveCount: Number(m[4]), firstReceivedAt: Number(m[5]),
    receivedAt: Number(m[6]), nonce: m[7]!,
  };
  if (m[8] !== undefined) name.deadLetterSource = m[8];
  return name;
}

export function fifoDeliveryKey(name: FifoInFlightName): string {
  return `${name.id}.${name.receiveCount}.${name.nonce}`;
}

// What a FIFO receipt names: the group directory and the name of the in-flight file in its inflight/.
export interface FifoDelivery {
  groupDir: string;
  name: FifoInFlightName;
}

export function formatFifoReceiptPath(groupDir: string, name: FifoInFlightName): string {
  return relativePath(groupDir, formatFifoInFlightName(name));
}

export function parseFifoReceiptPath(text: string): FifoDelivery | null {
  const [groupDir, file, ...rest] = splitRelativePath(text);
  if (rest.length > 0 || !groupDir || !file || parseGroupDirName(groupDir) === null) return null;
  const name = parseFifoInFlightName(file);
  return name && { groupDir, name };
}
