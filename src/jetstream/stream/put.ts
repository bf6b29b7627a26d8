// Putting records to a JetStream stream: each record checked and routed by core (stream-routing.ts: the
// MD5 of its partition key, or its explicit hash key, to the open shard whose range holds it; records
// without a key spread over the open shards), then published to its shard's subject with a message id,
// in rounds, each retried with its id until stored. A shard without a stream on its subject (503) stops
// the publishing after that round: the map is read again; a shard a reshard closed has its records routed
// again, in put order, to the shards that took the keys over; an open one (a leader election) is waited
// for, as any unanswered request, and its records go again in order.
import { randomBytes } from 'node:crypto';
import { MqError } from '../../core/errors.js';
import { createRandomKeyFactory } from '../../core/stream-records.js';
import {
  type LineSource, type PutSource, RequestSource, type RouteOutcomes, RoutingCache, routePut,
} from '../../core/stream-routing.js';
import type { JetStreamEnv } from '../env.js';
import { sleep } from '../env.js';
import { isNoResponders, isRetryable, toMqError, unavailable } from '../js-errors.js';
import { headerBytes } from '../queue/message-headers.js';
import { keyHeaders } from './records.js';
import type { StreamCatalog } from './stream-catalog.js';

const MAX_ROUTING_ROUNDS = 100;

// Message ids of puts: a random prefix per process and a counter.
let idPrefix: string | undefined;
let idCounter = 0;
function nextMsgId(): string {
  idPrefix ??= randomBytes(12).toString('base64url');
  return `${idPrefix}${(idCounter++).toString(36)}`;
}

export interface PutSink extends RouteOutcomes {
  // After the first routing, before anything is published (an atomic put refuses here).
  routed?(): void;
  stored(i: number, shardIndex: number, counter: number): void;
}

// Record i's data as bytes.
function dataOf(source: PutSource, i: number): Uint8Array {
  if (source instanceof RequestSource) {
    const { data } = source.requests[i]!;
    return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  }
  const lines = source as LineSource;
  const block = lines.blocks[lines.blockOf[i]!]!;
  const j = lines.lineOf[i]!;
  return block.bytes.subarray(block.starts[j]!, block.ends[j]!);
}

export class ShardPutter {
  private readonly routings = new RoutingCache(createRandomKeyFactory((size) => randomBytes(size)));

  constructor(private readonly env: JetStreamEnv, private readonly catalog: StreamCatalog) {}

  async put(name: string, source: PutSource, sink: PutSink): Promise<void> {
    let ref = await this.catalog.open(name);
    const route = (only?: number[]) => routePut(this.routings.for(name, ref.record.shards), source, ref.record.attributes.maxRecordBytes, sink, only);
    let batches = route();
    sink.routed?.();
    // Since when a shard that is still open has had no leader (null: it has).
    let leaderlessSince: number | null = null;
    let stored = false;
    for (let round = 1; batches.size > 0; round++) {
      const messages: { i: number; shardIndex: number; subject: string; data: Uint8Array; headers: ReturnType<JetStreamEnv['client']['headers']> }[] = [];
      for (const batch of [...batches.values()].sort((a, b) => a.shard.index - b.shard.index)) {
        batch.indexes.forEach((i, n) => {
          const headers = { 'Nats-Msg-Id': nextMsgId(), ...keyHeaders(batch.keys[n]!.key) };
          const data = dataOf(source, i);
          const size = data.length + headerBytes(headers);
          if (size > this.env.client.maxPayload) {
            sink.refused(i, new MqError('RECORD_TOO_LARGE', `record is ${size} bytes with its headers, more than the NATS server's max_payload of ${this.env.client.maxPayload} bytes (raise max_payload in the server configuration)`));
            return;
          }
          messages.push({ i, shardIndex: batch.shard.index, subject: this.env.names.shardSubject(name, batch.shard.index), data, headers: this.env.client.headers(headers) });
        });
      }
      // Put order, so that each key's records keep theirs.
      messages.sort((a, b) => a.i - b.i);
      const results = await this.env.client.publishAll(messages, {
        retry: (error) => isRetryable(error) && !isNoResponders(error),
        stopOn: isNoResponders,
      });
      const again: number[] = [];
      const shardsAgain = new Set<number>();
      messages.forEach((message, n) => {
        const result = results[n];
        if (result === undefined || (result instanceof Error && isNoResponders(result))) {
          again.push(message.i);
          shardsAgain.add(message.shardIndex);
        } else if (!(result instanceof Error)) {
          stored = true;
          sink.stored(message.i, message.shardIndex, result.seq);
        } else {
          sink.refused(message.i, toMqError(result, this.env.client.where));
        }
      });
      if (again.length === 0) break;
      if (round >= MAX_ROUTING_ROUNDS) throw new MqError('CONFLICT', `stream "${name}" was resharded ${round} times during one put: try again`);
      ref = await this.catalog.open(name);
      const stillOpen = ref.record.shards.some((s) => shardsAgain.has(s.index) && s.state === 'open');
      if (!stillOpen) {
        leaderlessSince = null;
      } else {
        // A shard that is open has no stream leader for now: wait, as for any unanswered request.
        leaderlessSince ??= Date.now();
        if (Date.now() - leaderlessSince > this.env.client.unavailableAfterMs) {
          const error = unavailable(this.env.client.where, new Error('no shard leader answered (no responders)'));
          for (const i of again) sink.refused(i, error);
          break;
        }
        await sleep(Math.min(1000, 50 * 2 ** Math.min(round, 5)));
      }
      batches = route(again);
    }
    if (stored) void this.env.client.notify(this.env.names.bellSubject(name)).catch(() => undefined);
  }
}
