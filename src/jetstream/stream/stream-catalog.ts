// Streams as JetStream holds them. A stream is a record in the metadata bucket (`s.<name>`: attributes
// and the shard map, changed by compare-and-set) and one limits stream per shard (R3, file storage,
// max_age = retention) whose subject is `<ns>.s.<name>.<index>`; a record's counter is its stream
// sequence, so counters are consecutive as on files. Resharding (reshard.ts) closes a shard by moving its
// subject away (a put routed with the old map then finds no stream: 503, and reads the map again) and
// sealing it: a fence message on the new subject orders after every record that got in, so the record
// before it is the shard's last. A map with a closing shard not yet sealed is finished by whoever reads it.
import { MqError } from '../../core/errors.js';
import { validateStreamName } from '../../core/names.js';
import type { ShardDefinition } from '../../core/shard-map.js';
import type { StreamMap } from '../../core/stream-info.js';
import { retentionCutoff } from '../../core/stream-attributes.js';
import { formatShardId, parseShardId } from '../../core/shard-ids.js';
import type { StreamInfo as JsStreamInfo } from '../client.js';
import type { JetStreamEnv } from '../env.js';
import { ns } from '../env.js';
import { JS_ERR, isJsError, isNoResponders, toMqError } from '../js-errors.js';

// The stream's record in the bucket: its attributes and shard map (core's StreamMap).
export type StreamRecord = StreamMap;

interface ShardJson extends Omit<ShardDefinition, 'hashKeyRange'> {
  startingHashKey: string;
  endingHashKey: string;
}

interface StreamRecordJson extends Omit<StreamRecord, 'shards'> {
  shards: ShardJson[];
}

// A stream as one operation sees it: its record at a revision.
export interface StreamRef {
  name: string;
  record: StreamRecord;
  revision: number;
}

export const FENCE_HEADER = 'Mq-Fence';

export function encodeRecord(record: StreamRecord): StreamRecordJson {
  return {
    ...record,
    shards: record.shards.map(({ hashKeyRange, ...shard }) => ({
      ...shard, startingHashKey: hashKeyRange.start.toString(), endingHashKey: hashKeyRange.end.toString(),
    })),
  };
}

export function decodeRecord(json: StreamRecordJson): StreamRecord {
  return {
    ...json,
    shards: json.shards.map(({ startingHashKey, endingHashKey, ...shard }) => ({
      ...shard, hashKeyRange: { start: BigInt(startingHashKey), end: BigInt(endingHashKey) },
    })),
  };
}

// A shard closed by a reshard whose end is not recorded yet.
export function isClosing(shard: ShardDefinition): boolean {
  return shard.state === 'closed' && shard.endingCounter === undefined;
}

export function cutoffOf(record: StreamRecord, nowMs: number): number {
  return retentionCutoff(nowMs, record.attributes.retentionMs, record.trimmedBefore);
}

export class StreamCatalog {
  constructor(private readonly env: JetStreamEnv) {}

  private key(name: string): string {
    return this.env.names.streamKey(name);
  }

  async find(name: string): Promise<StreamRef | null> {
    validateStreamName(name);
    const entry = await this.env.meta.get<StreamRecordJson>(this.key(name));
    return entry ? { name, record: decodeRecord(entry.value), revision: entry.revision } : null;
  }

  // The stream, with any reshard left half-done (a closing shard without its end) finished first.
  async open(name: string): Promise<StreamRef> {
    for (;;) {
      const ref = await this.find(name);
      if (!ref) throw new MqError('STREAM_NOT_FOUND', `stream "${name}" does not exist`);
      if (!ref.record.shards.some(isClosing)) return ref;
      const sealed = await this.seal(ref);
      if (sealed) return sealed;
    }
  }

  async list(prefix = ''): Promise<StreamRecord[]> {
    const entries = await this.env.meta.list<StreamRecordJson>('s.*');
    return entries.map((e) => decodeRecord(e.value)).filter((r) => r.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // Writes the record if it is still at the revision read: the new ref, or null when it moved on.
  async write(ref: StreamRef, record: StreamRecord): Promise<StreamRef | null> {
    const revision = await this.env.meta.update(this.key(ref.name), encodeRecord(record), ref.revision);
    return revision === null ? null : { name: ref.name, record, revision };
  }

  async create(record: StreamRecord): Promise<StreamRef | null> {
    await this.env.meta.ensure();
    const revision = await this.env.meta.create(this.key(record.name), encodeRecord(record));
    return revision === null ? null : { name: record.name, record, revision };
  }

  async delete(ref: StreamRef): Promise<boolean> {
    return this.env.meta.delete(this.key(ref.name), ref.revision);
  }

  shardOf(ref: StreamRef, shardId: string): ShardDefinition {
    const index = parseShardId(shardId);
    const shard = ref.record.shards.find((s) => s.index === index);
    if (!shard) throw new MqError('SHARD_NOT_FOUND', `stream "${ref.name}" has no shard ${formatShardId(index)}`);
    return shard;
  }

  // Makes the JetStream stream of a shard (idempotent), open on its subject.
  async provisionShard(name: string, record: StreamRecord, index: number): Promise<void> {
    await this.env.client.createStream(this.shardStreamConfig(name, record, index, this.env.names.shardSubject(name, index)));
  }

  private shardStreamConfig(name: string, record: StreamRecord, index: number, subject: string) {
    return {
      name: this.env.names.shardStream(name, index),
      subjects: [subject],
      retention: 'limits',
      storage: 'file',
      discard: 'old',
      max_age: ns(record.attributes.retentionMs),
      max_msg_size: -1,
      duplicate_window: ns(2 * 60_000),
      allow_direct: false,
    };
  }

  // Brings each shard's max_age to the record's retention.
  async applyRetention(name: string, record: StreamRecord): Promise<void> {
    for (const shard of record.shards) {
      const subject = shard.state === 'open' ? this.env.names.shardSubject(name, shard.index) : this.env.names.closedShardSubject(name, shard.index);
      await this.env.client.api(`STREAM.UPDATE.${this.env.names.shardStream(name, shard.index)}`, {
        num_replicas: this.env.client.replicas, ...this.shardStreamConfig(name, record, shard.index, subject),
      }).catch((error: unknown) => {
        if (!isJsError(error, JS_ERR.STREAM_NOT_FOUND)) throw toMqError(error, this.env.client.where);
      });
    }
  }

  // Info of a shard's JetStream stream (null when it has none: a shard made and closed within one reshard).
  async shardState(name: string, index: number): Promise<JsStreamInfo['state'] | null> {
    try {
      return (await this.env.client.api<JsStreamInfo>(`STREAM.INFO.${this.env.names.shardStream(name, index)}`)).state;
    } catch (error) {
      if (isJsError(error, JS_ERR.STREAM_NOT_FOUND)) return null;
      throw error;
    }
  }

  // Closes a shard for puts and returns its end: its subject moves away, then a fence message (one per
  // shard: found again by whoever finishes the job) orders after every record that got in.
  async fence(name: string, record: StreamRecord, index: number): Promise<{ endingCounter: number; lastArrivedAt: number }> {
    const { client, names } = this.env;
    const stream = names.shardStream(name, index);
    const closedSubject = names.closedShardSubject(name, index);
    try {
      await client.api(`STREAM.UPDATE.${stream}`, { num_replicas: client.replicas, ...this.shardStreamConfig(name, record, index, closedSubject) });
    } catch (error) {
      // No stream: the shard never held a record.
      if (isJsError(error, JS_ERR.STREAM_NOT_FOUND)) return { endingCounter: 0, lastArrivedAt: 0 };
      throw toMqError(error, client.where);
    }
    let fence = await client.getMessage(stream, { last_by_subj: closedSubject });
    if (!fence) {
      const headers = client.headers({ 'Nats-Msg-Id': `fence:${stream}`, [FENCE_HEADER]: '1' });
      // Until the leader has taken the new subject, nobody answers there.
      await client.retrying(() => client.publishOnce(closedSubject, '', headers), { retry: (e) => isNoResponders(e) || e instanceof Error && e.name === 'TimeoutError' });
      fence = await client.getMessage(stream, { last_by_subj: closedSubject });
      if (!fence) throw new MqError('INTERNAL', `the fence of ${stream} was not stored`);
    }
    const endingCounter = fence.seq - 1;
    const last = endingCounter > 0 ? await client.getMessage(stream, { seq: endingCounter }) : null;
    return { endingCounter, lastArrivedAt: last?.time ?? 0 };
  }

  // Seals the closing shards of a map: each fenced and its end recorded. Null when the map moved on.
  async seal(ref: StreamRef): Promise<StreamRef | null> {
    const now = this.env.clock.now();
    const shards: ShardDefinition[] = [];
    for (const shard of ref.record.shards) {
      if (!isClosing(shard)) {
        shards.push(shard);
        continue;
      }
      const end = await this.fence(ref.name, ref.record, shard.index);
      shards.push({ ...shard, endingCounter: end.endingCounter, closedAt: Math.max(shard.closedAt ?? now, end.lastArrivedAt) });
    }
    return this.write(ref, { ...ref.record, shards, updatedAt: now });
  }

  // Every JetStream stream of a stream's shards (also shards no map lists any more).
  async shardStreams(name: string): Promise<string[]> {
    const prefix = this.env.names.shardStream(name, 0).slice(0, -1);
    return (await this.env.client.streamNames()).filter((s) => s.startsWith(prefix) && /^\d+$/.test(s.slice(prefix.length)));
  }

  async deleteShardStreams(name: string): Promise<void> {
    for (const stream of await this.shardStreams(name)) {
      await this.env.client.api(`STREAM.DELETE.${stream}`).catch((error: unknown) => {
        if (!isJsError(error, JS_ERR.STREAM_NOT_FOUND)) throw toMqError(error, this.env.client.where);
      });
    }
  }
}
