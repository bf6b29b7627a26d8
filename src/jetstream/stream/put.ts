// Putting records to a JetStream stream: each record checked and routed by the core rules (MD5 of the
// partition key, or an explicit hash key, to the open shard whose range holds it; records without a key
// spread over the open shards, each under a key of this process that routes there), then published to
// its shard's subject with a message id, pipelined, each retried with its id until stored. A shard a
// reshard closed meanwhile has no stream on its subject (503): the map is read again and those records
// routed again, in their order, to the shards that took the keys over.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { MqError, invalidArgument, isMqError } from '../../core/errors.js';
import { hashKeyHex, parseExplicitHashKey, partitionKeyHashHex } from '../../core/hash-keys.js';
import { createKeySpreader, findShardKeys, type KeySpreader } from '../../core/key-spreader.js';
import { type ShardDefinition, type ShardRouter, createShardRouter } from '../../core/shard-map.js';
import { checkPartitionKey, checkRecordSize, createRandomKeyFactory } from '../../core/stream-records.js';
import type { JetStreamEnv } from '../env.js';
import { sleep } from '../env.js';
import { isNoResponders, isRetryable, toMqError, unavailable } from '../js-errors.js';
import { headerBytes } from '../queue/message-headers.js';
import { keyHeaders } from './records.js';
import type { StreamCatalog, StreamRef } from './stream-catalog.js';

// One record to put: its data and how it routes, or why it was refused before routing (null: left out).
export interface PutEntry {
  data: string | Uint8Array;
  partitionKey?: string;
  explicitHashKey?: string;
}

export type PutEntryOutcome = { ok: true; shardIndex: number; counter: number } | { ok: false; error: MqError } | null;

const MAX_ROUTING_ROUNDS = 100;
const randomKey = createRandomKeyFactory((size) => randomBytes(size));

// Message ids of puts: a random prefix per process and a counter.
let idPrefix: string | undefined;
let idCounter = 0;
function nextMsgId(): string {
  idPrefix ??= randomBytes(12).toString('base64url');
  return `${idPrefix}${(idCounter++).toString(36)}`;
}

// Routing by one shard map (its open shards), kept while they stay the same.
class Routing {
  readonly router: ShardRouter;
  private spreader?: KeySpreader;

  constructor(readonly open: ShardDefinition[], shards: ShardDefinition[]) {
    this.router = createShardRouter(shards);
  }

  spread(): { shard: ShardDefinition; key: string } {
    this.spreader ??= createKeySpreader(findShardKeys(this.open, randomKey, partitionKeyHashHex, this.router));
    return this.spreader.next();
  }

  keyed(key: string): ShardDefinition {
    checkPartitionKey(key);
    return this.open.length === 1 ? this.open[0]! : this.router(partitionKeyHashHex(key));
  }

  explicit(text: string): ShardDefinition {
    return this.router(hashKeyHex(parseExplicitHashKey(text)));
  }
}

export class ShardPutter {
  private readonly routings = new Map<string, Routing>();

  constructor(private readonly env: JetStreamEnv, private readonly catalog: StreamCatalog) {}

  private routingFor(ref: StreamRef): Routing {
    const open = ref.record.shards.filter((s) => s.state === 'open');
    const signature = `${ref.name}\n${open.map((s) => `${s.index}:${s.hashKeyRange.start}`).join(',')}`;
    let routing = this.routings.get(signature);
    if (!routing) {
      if (this.routings.size >= 64) this.routings.clear();
      this.routings.set(signature, (routing = new Routing(open, ref.record.shards)));
    }
    return routing;
  }

  // Checks and routes one record: its shard and the key it is stored under.
  private route(routing: Routing, ref: StreamRef, entry: PutEntry): { shard: ShardDefinition; key: string } {
    const { data } = entry;
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw invalidArgument('record data must be a string or bytes');
    if (typeof data !== 'string' && !isUtf8(data)) throw new MqError('INVALID_ARGUMENT', 'record data is not valid UTF-8');
    let shard: ShardDefinition;
    let key: string;
    if (entry.partitionKey === undefined) {
      ({ shard, key } = routing.spread());
    } else {
      key = entry.partitionKey;
      shard = routing.keyed(key);
    }
    checkRecordSize(data, key, ref.record.attributes.maxRecordBytes);
    if (entry.explicitHashKey !== undefined) shard = routing.explicit(entry.explicitHashKey);
    return { shard, key };
  }

  // Puts the entries (refusals given as MqError, left-out lines as null) and reports each one's outcome.
  async put(name: string, entries: (PutEntry | MqError | null)[], options: { atomic?: boolean } = {}): Promise<PutEntryOutcome[]> {
    let ref = await this.catalog.open(name);
    const outcomes: PutEntryOutcome[] = entries.map((entry) => (entry === null ? null : entry instanceof MqError ? { ok: false, error: entry } : null));
    let pending = entries.flatMap((entry, i) => (entry === null || entry instanceof MqError ? [] : [i]));
    const keys = new Map<number, string>();
    // Since when a shard that is still open has had no leader (null: it has).
    let leaderlessSince: number | null = null;
    let stored = false;
    for (let round = 1; pending.length > 0; round++) {
      const routing = this.routingFor(ref);
      const routed: { i: number; shard: ShardDefinition }[] = [];
      for (const i of pending) {
        const entry = entries[i] as PutEntry;
        try {
          const { shard, key } = this.route(routing, ref, keys.has(i) ? { ...entry, partitionKey: keys.get(i)! } : entry);
          keys.set(i, key);
          routed.push({ i, shard });
        } catch (error) {
          if (!isMqError(error)) throw error;
          outcomes[i] = { ok: false, error };
        }
      }
      if (round === 1 && options.atomic) {
        const index = outcomes.findIndex((o) => o && !o.ok);
        const failed = outcomes[index];
        if (failed && !failed.ok) {
          throw new MqError(failed.error.code, `${entries.length > 1 ? `record ${index + 1}: ` : ''}${failed.error.message}`);
        }
      }
      const messages = routed.map(({ i, shard }) => {
        const entry = entries[i] as PutEntry;
        const headers = { 'Nats-Msg-Id': nextMsgId(), ...keyHeaders(keys.get(i)!) };
        const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
        const size = data.length + headerBytes(headers);
        if (size > this.env.client.maxPayload) {
          outcomes[i] = {
            ok: false,
            error: new MqError('RECORD_TOO_LARGE', `record is ${size} bytes with its headers, more than the NATS server's max_payload of ${this.env.client.maxPayload} bytes (raise max_payload in the server configuration)`),
          };
          return null;
        }
        return { i, shard, subject: this.env.names.shardSubject(name, shard.index), data, headers: this.env.client.headers(headers) };
      }).filter((m): m is NonNullable<typeof m> => m !== null);
      // No stream on a shard's subject (closed, or a leader election) is decided here, not by retrying:
      // the publishing stops after that round, and those records and the ones not sent go again in order.
      const results = await this.env.client.publishAll(messages, {
        retry: (error) => isRetryable(error) && !isNoResponders(error),
        stopOn: isNoResponders,
      });
      const closedUnder: number[] = [];
      messages.forEach((message, n) => {
        const result = results[n];
        if (result === undefined || (result instanceof Error && isNoResponders(result))) {
          closedUnder.push(message.i);
        } else if (!(result instanceof Error)) {
          stored = true;
          outcomes[message.i] = { ok: true, shardIndex: message.shard.index, counter: result.seq };
        } else {
          outcomes[message.i] = { ok: false, error: toMqError(result, this.env.client.where) };
        }
      });
      if (closedUnder.length === 0) break;
      if (round >= MAX_ROUTING_ROUNDS) throw new MqError('CONFLICT', `stream "${name}" was resharded ${round} times during one put: try again`);
      const newer = await this.catalog.open(name);
      const stillOpen = closedUnder.some((i) => newer.record.shards.find((s) => s.index === routed.find((r) => r.i === i)!.shard.index)?.state === 'open');
      if (!stillOpen) leaderlessSince = null;
      if (stillOpen) {
        // The shard is open: its stream has no leader for now. Wait, as for any unanswered request.
        leaderlessSince ??= Date.now();
        if (Date.now() - leaderlessSince > this.env.client.unavailableAfterMs) {
          const error = unavailable(this.env.client.where, new Error('no shard leader answered (no responders)'));
          for (const i of closedUnder) outcomes[i] = { ok: false, error };
          break;
        }
        await sleep(Math.min(1000, 50 * 2 ** Math.min(round, 5)));
      }
      ref = newer;
      pending = closedUnder.sort((a, b) => a - b);
    }
    if (stored) void this.env.client.notify(this.env.names.bellSubject(name)).catch(() => undefined);
    return outcomes;
  }
}
