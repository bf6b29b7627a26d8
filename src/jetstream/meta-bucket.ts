// mq's metadata in one JetStream key-value bucket per namespace (`<ns>_meta`, the KV layout: stream
// KV_<bucket>, subjects $KV.<bucket>.<key>, so `nats kv` reads it too): queue attributes, stream shard
// maps, consumer-group checkpoints and leases, redrive locks. Values are JSON. Every write is a
// compare-and-set on the key's revision (its stream sequence), with a message id: a write tried again
// after a lost answer is recognised as the one already stored. allow_direct is off, so every read goes
// to the bucket's leader and sees the last write.
import { randomUUID } from 'node:crypto';
import { MqError } from '../core/errors.js';
import type { JetStreamClient, StoredMessage } from './client.js';
import { JS_ERR, isJsError, isNoResponders, isRetryable, toMqError } from './js-errors.js';
import { readLastPerSubject } from './ephemeral-reads.js';

export interface KvEntry<T> {
  key: string;
  value: T;
  revision: number;
}

const DELETE_OPERATIONS = new Set(['DEL', 'PURGE']);
const decoder = new TextDecoder();

export class MetaBucket {
  private readonly stream: string;
  private ensured = false;

  constructor(private readonly client: JetStreamClient, readonly bucket: string) {
    this.stream = `KV_${bucket}`;
  }

  private subject(key: string): string {
    return `$KV.${this.bucket}.${key}`;
  }

  // Creates the bucket's stream when it is missing (idempotent).
  async ensure(): Promise<void> {
    if (this.ensured) return;
    await this.client.createStream({
      name: this.stream,
      subjects: [`$KV.${this.bucket}.>`],
      retention: 'limits',
      max_msgs_per_subject: 1,
      discard: 'new',
      allow_rollup_hdrs: true,
      deny_delete: true,
      allow_direct: false,
      storage: 'file',
      duplicate_window: 120_000_000_000,
    });
    this.ensured = true;
  }

  async get<T>(key: string): Promise<KvEntry<T> | null> {
    let message: StoredMessage | null;
    try {
      message = await this.client.getMessage(this.stream, { last_by_subj: this.subject(key) });
    } catch (error) {
      if (isJsError(error, JS_ERR.STREAM_NOT_FOUND)) return null;
      throw toMqError(error, this.client.where);
    }
    return message ? entryOf<T>(key, message) : null;
  }

  // Every live entry whose key matches `filter` (a subject filter over keys: `q.*`, `g.ev.>`).
  async list<T>(filter: string): Promise<KvEntry<T>[]> {
    const prefix = `$KV.${this.bucket}.`;
    try {
      const messages = await readLastPerSubject(this.client, this.stream, this.subject(filter));
      return messages.map((m) => entryOf<T>(m.subject.slice(prefix.length), m)).filter((e): e is KvEntry<T> => e !== null);
    } catch (error) {
      if (isJsError(error, JS_ERR.STREAM_NOT_FOUND)) return [];
      throw toMqError(error, this.client.where);
    }
  }

  // Writes `value` unless the key exists (live): its revision, or null when it exists.
  async create<T>(key: string, value: T): Promise<number | null> {
    const current = await this.write(key, JSON.stringify(value), 0);
    if (current !== null) return current;
    // A deleted key leaves a marker: create over it.
    const marker = await this.lastRevision(key);
    if (marker === null || marker.live) return null;
    return this.write(key, JSON.stringify(value), marker.revision);
  }

  // Writes `value` if the key is still at `revision`: the new revision, or null when it moved on.
  async update<T>(key: string, value: T, revision: number): Promise<number | null> {
    return this.write(key, JSON.stringify(value), revision);
  }

  // Deletes the key (at `revision` when given): false when it moved on or is gone.
  async delete(key: string, revision?: number): Promise<boolean> {
    return (await this.write(key, '', revision, { 'KV-Operation': 'DEL' })) !== null;
  }

  private async lastRevision(key: string): Promise<{ revision: number; live: boolean } | null> {
    const message = await this.client.getMessage(this.stream, { last_by_subj: this.subject(key) }).catch((error: unknown) => {
      if (isJsError(error, JS_ERR.STREAM_NOT_FOUND)) return null;
      throw toMqError(error, this.client.where);
    });
    if (!message) return null;
    return { revision: message.seq, live: !DELETE_OPERATIONS.has(message.headers.get('KV-Operation') ?? '') };
  }

  // One compare-and-set write; null when the revision did not match.
  private async write(key: string, payload: string, revision: number | undefined, extra: Record<string, string> = {}): Promise<number | null> {
    const id = randomUUID();
    const headers = this.client.headers({
      'Nats-Msg-Id': id,
      ...(revision !== undefined ? { 'Nats-Expected-Last-Subject-Sequence': String(revision) } : {}),
      ...extra,
    });
    let tries = 0;
    const attempt = async () => {
      tries++;
      try {
        return (await this.client.publishOnce(this.subject(key), payload, headers)).seq;
      } catch (error) {
        if (isJsError(error, JS_ERR.STREAM_WRONG_LAST_SEQUENCE)) {
          // A try after a lost answer may find its own write stored (2.9 checks the revision before the id).
          if (tries > 1) {
            const stored = await this.client.getMessage(this.stream, { last_by_subj: this.subject(key) });
            if (stored?.headers.get('Nats-Msg-Id') === id) return stored.seq;
          }
          return null;
        }
        if (isNoResponders(error) && !this.ensured) {
          // No stream listens: the bucket may not exist yet.
          await this.ensure();
        }
        throw error;
      }
    };
    try {
      return await this.client.retrying(attempt, { retry: (error) => isRetryable(error) });
    } catch (error) {
      throw toMqError(error, this.client.where);
    }
  }
}

function entryOf<T>(key: string, message: StoredMessage): KvEntry<T> | null {
  if (DELETE_OPERATIONS.has(message.headers.get('KV-Operation') ?? '')) return null;
  try {
    return { key, value: JSON.parse(decoder.decode(message.data)) as T, revision: message.seq };
  } catch {
    throw new MqError('CORRUPT', `the value of ${key} in the JetStream bucket is not JSON`);
  }
}
