// node:crypto, loaded on first use: loading it costs several milliseconds of every process start, and
// most commands (a one-message send, an ack) never hash anything.
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

const load = createRequire(import.meta.url);
let crypto: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  crypto ??= load('node:crypto') as NodeCrypto;
  return crypto;
}

type Algorithm = 'md5' | 'sha256';
const hashers = new Map<Algorithm, (text: string) => string>();

function hasher(algorithm: Algorithm): (text: string) => string {
  const c = nodeCrypto();
  // crypto.hash (Node >= 20.12) is about 3x cheaper than createHash for one short input.
  return typeof c.hash === 'function'
    ? (text) => c.hash(algorithm, text, 'hex')
    : (text) => c.createHash(algorithm).update(text, 'utf8').digest('hex');
}

// The hex digest of a UTF-8 string (called per record on the put path: the hasher is made once).
export function hashHex(algorithm: Algorithm, text: string): string {
  let hash = hashers.get(algorithm);
  if (!hash) hashers.set(algorithm, (hash = hasher(algorithm)));
  return hash(text);
}
