// Message ids: ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, then 80 random bits),
// so ids sort by send time and the send time can be read back from an id. The time comes from the
// store's clock (a fake clock gives ids in fake time); within one millisecond a process increments the
// random part, so its ids still sort in the order they were made. Randomness is injected: the file
// backend draws it from a pooled /dev/urandom, which spares each process loading node:crypto.
import { MqError } from './errors.js';

export type IdFactory = (nowMs: number) => string;
export type RandomBytes = (size: number) => Uint8Array;

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const MAX_TIME = 2 ** 48 - 1;

function encodeTime(ms: number): string {
  let text = '';
  for (let i = 0, t = ms; i < TIME_CHARS; i++, t = Math.floor(t / 32)) text = ENCODING[t % 32]! + text;
  return text;
}

// 80 random bits as 16 base32 digits (5 bits each).
function randomDigits(random: RandomBytes): number[] {
  const bytes = random(10);
  const digits: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      digits.push((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return digits;
}

export function createIdFactory(random: RandomBytes): IdFactory {
  let lastTime = -1;
  let digits: number[] = [];
  return (nowMs) => {
    if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_TIME) throw new MqError('INTERNAL', `cannot make an id for time ${nowMs}`);
    if (nowMs > lastTime) {
      lastTime = nowMs;
      digits = randomDigits(random);
    } else {
      // Same (or an earlier) millisecond: the next id is the last one plus one, so ids keep their order.
      let i = RANDOM_CHARS - 1;
      while (i >= 0 && digits[i] === 31) digits[i--] = 0;
      if (i < 0) throw new MqError('INTERNAL', 'too many ids in one millisecond');
      digits[i]!++;
    }
    return encodeTime(lastTime) + digits.map((d) => ENCODING[d]).join('');
  };
}

// An id made of a time and a number instead of random bits (a server-given sequence number, for example),
// so that the same inputs always give the same id.
export function idFromNumber(timeMs: number, value: bigint): string {
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME) throw new MqError('INTERNAL', `cannot make an id for time ${timeMs}`);
  if (value < 0n || value >= 1n << 80n) throw new MqError('INTERNAL', `cannot make an id of ${value}`);
  let digits = '';
  for (let i = 0, v = value; i < RANDOM_CHARS; i++, v >>= 5n) digits = ENCODING[Number(v & 31n)]! + digits;
  return encodeTime(timeMs) + digits;
}

const ID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function isId(text: string): boolean {
  return ID.test(text);
}

// The time in milliseconds an id was made at.
export function decodeTime(id: string): number {
  let ms = 0;
  for (let i = 0; i < TIME_CHARS; i++) ms = ms * 32 + ENCODING.indexOf(id[i]!);
  return ms;
}
