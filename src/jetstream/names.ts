// The JetStream names of mq's queues and streams in one namespace: stream names, subjects, consumer
// names and KV keys. An mq name becomes a token by doubling '_' and writing '.' as '_d' (JetStream stream
// names and subject tokens cannot hold dots), so a token never has a lone '_' and the parts of a name
// joined by '_' stay unambiguous. A token that would make a JetStream name longer than 200 characters is
// a hash of the name instead ('_h' and 40 hex digits, which no encoded name can look like).
import { MqError } from '../core/errors.js';
import { hashHex } from '../core/lazy-crypto.js';

export const DEFAULT_NAMESPACE = 'mq';
const NAMESPACE = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_NAME = 200;
// Room for the longest suffix after a token: '_' and a shard index.
const SUFFIX_ROOM = 8;

export function validateNamespace(namespace: string): string {
  if (!NAMESPACE.test(namespace)) {
    throw new MqError('INVALID_ARGUMENT', `invalid namespace ${JSON.stringify(namespace)}: use 1-32 characters from A-Z a-z 0-9 _ -`);
  }
  return namespace;
}

export function encodeToken(name: string): string {
  return name.replace(/_/g, '__').replace(/\./g, '_d');
}

export function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function fromBase64url(token: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return base64url(text) === token ? text : null;
}

export class JetStreamNames {
  readonly ns: string;
  readonly bucket: string;

  constructor(readonly namespace: string) {
    this.ns = encodeToken(validateNamespace(namespace));
    this.bucket = `${this.ns}_meta`;
  }

  // The token of an mq name (queue, stream, group or worker).
  token(name: string): string {
    const token = encodeToken(name);
    return this.ns.length + 3 + token.length + SUFFIX_ROOM <= MAX_NAME ? token : `_h${hashHex('sha256', name).slice(0, 40)}`;
  }

  // Queues: one work-queue stream each.
  queueStream(queue: string): string {
    return `${this.ns}_q_${this.token(queue)}`;
  }

  queueSubjectPrefix(queue: string): string {
    return `${this.ns}.q.${this.token(queue)}`;
  }

  // Streams: one JetStream stream per shard, and the bell subject followers listen on.
  shardStream(stream: string, index: number): string {
    return `${this.ns}_s_${this.token(stream)}_${index}`;
  }

  shardSubject(stream: string, index: number): string {
    return `${this.ns}.s.${this.token(stream)}.${index}`;
  }

  // Where a closed shard's subject goes: nothing publishes there, so a put routed with an old map finds no
  // stream listening (503) and reads the map again.
  closedShardSubject(stream: string, index: number): string {
    return `${this.ns}.closed.${this.token(stream)}.${index}`;
  }

  bellSubject(stream: string): string {
    return `${this.ns}.bell.${this.token(stream)}`;
  }

  // Every JetStream stream name of this namespace starts with one of these (for dropping a namespace).
  streamPrefixes(): string[] {
    return [`${this.ns}_q_`, `${this.ns}_s_`];
  }

  // KV keys in the namespace's bucket.
  queueKey(queue: string): string {
    return `q.${this.token(queue)}`;
  }

  streamKey(stream: string): string {
    return `s.${this.token(stream)}`;
  }

  redriveLockKey(queue: string): string {
    return `redrive.${this.token(queue)}`;
  }

  groupShardKey(stream: string, group: string, shardIndex: number): string {
    return `g.${this.token(stream)}.${this.token(group)}.${shardIndex}`;
  }

  groupKeys(stream: string, group?: string): string {
    return group === undefined ? `g.${this.token(stream)}.>` : `g.${this.token(stream)}.${this.token(group)}.*`;
  }

  workerKey(stream: string, group: string, worker: string): string {
    return `w.${this.token(stream)}.${this.token(group)}.${this.token(worker)}`;
  }

  workerKeys(stream: string, group: string): string {
    return `w.${this.token(stream)}.${this.token(group)}.*`;
  }
}
