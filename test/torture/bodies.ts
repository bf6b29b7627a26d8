// Self-verifying message bodies and record data: `TAG~PAYLOAD~CHECK`, where CHECK is the first 12 hex
// digits of the SHA-256 of `TAG~PAYLOAD`. Whatever a reader gets back, it can tell a whole body (and
// whose it is, by its tag) from a torn, mixed or zeroed one without any other record.
import { createHash } from 'node:crypto';
import type { Rng } from './random.js';

// Characters that need escaping in JSON, multi-byte UTF-8 and a surrogate pair, but no line breaks or
// control characters (stdin lines and SQS's character rules stay happy).
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz0123456789 "\\/{}:,é€😀$`;\''];

function check(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function makeBody(tag: string, rng: Rng, maxLength = 400): string {
  // Mostly short, sometimes a few pages, so writes of one body can straddle page boundaries.
  const length = rng.chance(0.05) ? rng.int(4096, 20_000) : rng.int(0, maxLength);
  let payload = '';
  for (let i = 0; i < length; i++) payload += rng.pick(ALPHABET);
  return `${tag}~${payload}~${check(`${tag}~${payload}`)}`;
}

// The tag of a whole body, or null when the body is not one makeBody made (torn, mixed, garbage).
export function verifyBody(body: string): string | null {
  const first = body.indexOf('~');
  const last = body.lastIndexOf('~');
  if (first <= 0 || last === first) return null;
  return check(body.slice(0, last)) === body.slice(last + 1) ? body.slice(0, first) : null;
}
