// The one connection of a backend to a NATS cluster, and the few JetStream operations mq is built from,
// as raw requests: JetStream API calls, publishes to streams (with a message id, acknowledged), pulls
// from consumers, message gets by sequence. A request that no leader answers (a leader election, a node
// restarting) is tried again with the same content, message id included, until 30 s have passed: then
// UNAVAILABLE. The connection is made on first use; the server must have JetStream and be 2.9 or newer.
import {
  type Msg, type MsgHdrs, type NatsConnection, type Subscription, MsgHdrsImpl, connect, createInbox, headers as natsHeaders,
} from '@nats-io/transport-node';
import { MqError } from '../core/errors.js';
import { JS_ERR, JsApiError, isJsError, isRetryable, toMqError, unavailable } from './js-errors.js';
import type { NatsUrl } from './nats-url.js';
import { isSupportedServer } from './server-version.js';

export interface ClientOptions {
  // How long a request may go unanswered, tries included, before UNAVAILABLE (default 30 s).
  unavailableAfterMs?: number;
  // One try of a request (default 5 s).
  requestTimeoutMs?: number;
}

export interface PubAck {
  stream: string;
  seq: number;
  duplicate?: boolean;
}

// A message as a msg get returns it.
export interface StoredMessage {
  subject: string;
  seq: number;
  data: Uint8Array;
  headers: Map<string, string>;
  // Arrival at the stream leader, epoch milliseconds.
  time: number;
}

export interface PullRequest {
  batch: number;
  // Hold the request this long for the first message. 0: answer at once with what is there (a bare
  // no_wait: only for consumers without a max_ack_pending, which 2.9.10 would hold it at).
  expiresMs: number;
  maxBytes?: number;
}

export type Headers = Record<string, string>;

export interface StreamState {
  messages: number;
  bytes: number;
  first_seq: number;
  first_ts: string;
  last_seq: number;
  last_ts: string;
  num_subjects?: number;
  subjects?: Record<string, number>;
  consumer_count: number;
}

export interface StreamInfo {
  config: Record<string, unknown> & { name: string; subjects?: string[]; max_age?: number };
  state: StreamState;
  created: string;
}

export interface ConsumerInfo {
  name: string;
  config: Record<string, unknown>;
  delivered: { consumer_seq: number; stream_seq: number; last_active?: string };
  ack_floor: { consumer_seq: number; stream_seq: number };
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
  num_pending: number;
}

// How long after its expiry a pull may still be answered before it counts as unanswered.
const PULL_GRACE_MS = 2000;

// A pull that got no answer at all (named like the client's timeouts, so it is retried as they are).
export class PullTimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(readonly stream: string, readonly consumer: string) {
    super(`no answer to a pull from ${stream} > ${consumer}`);
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();

export class JetStreamClient {
  private nc?: NatsConnection;
  private connecting?: Promise<NatsConnection>;
  private closed = false;
  readonly unavailableAfterMs: number;
  readonly requestTimeoutMs: number;
  // Replicas of the streams mq makes: 3, or 1 on a server that is not clustered.
  replicas = 3;

  constructor(readonly url: NatsUrl, options: ClientOptions = {}) {
    this.unavailableAfterMs = options.unavailableAfterMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  // The cluster as people see it (no credentials).
  get where(): string {
    return this.url.display;
  }

  async connection(): Promise<NatsConnection> {
    if (this.nc) return this.nc;
    if (this.closed) throw new MqError('INTERNAL', 'the JetStream backend is closed');
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private async connect(): Promise<NatsConnection> {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: this.url.servers,
        ...(this.url.user !== undefined ? { user: this.url.user, pass: this.url.pass! } : {}),
        ...(this.url.token !== undefined ? { token: this.url.token } : {}),
        ...(this.url.tls ? { tls: {} } : {}),
        name: 'mq',
        timeout: Math.min(5_000, this.unavailableAfterMs),
        // Reconnect to any node, for as long as a request still has time left (requests bound the wait).
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        pingInterval: 10_000,
      });
    } catch (error) {
      this.connecting = undefined;
      throw toMqError(error, this.where);
    }
    const info = nc.info!;
    if (!info.jetstream) {
      await nc.close();
      this.connecting = undefined;
      throw new MqError('STORE_REFUSED', `JetStream is not enabled on the NATS server at ${this.where} (start nats-server with -js, or jetstream {} in its configuration)`);
    }
    if (!isSupportedServer(info.version)) {
      await nc.close();
      this.connecting = undefined;
      throw new MqError('STORE_REFUSED', `the NATS server at ${this.where} is ${info.version}: mq needs 2.9 or newer (2.10 or newer advised)`);
    }
    if (!info.cluster) this.replicas = 1;
    this.nc = nc;
    return nc;
  }

  // The largest message the server takes (its max_payload), headers included.
  get maxPayload(): number {
    return this.nc?.info?.max_payload ?? 1024 * 1024;
  }

  async close(): Promise<void> {
    this.closed = true;
    const nc = this.nc ?? (this.connecting ? await this.connecting.catch(() => undefined) : undefined);
    if (nc && !nc.isClosed()) {
      try {
        await nc.flush();
      } catch {
        // closing anyway
      }
      await nc.close();
    }
  }

  // Runs `attempt` until it succeeds, fails with something other than a retryable failure, or the time
  // allowed for the cluster to answer has passed (UNAVAILABLE then).
  async retrying<T>(attempt: () => Promise<T>, options: { retry?: (error: unknown) => boolean; deadline?: number } = {}): Promise<T> {
    const retry = options.retry ?? isRetryable;
    const deadline = options.deadline ?? Date.now() + this.unavailableAfterMs;
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof MqError) throw error;
        if (!retry(error)) throw error;
        if (Date.now() + pause >= deadline) throw unavailable(this.where, error);
        await sleep(pause);
      }
    }
  }

  // A JetStream API call ($JS.API.<subject>), retried while no leader answers. JetStream's error answers
  // are thrown as JsApiError (for the caller to map), other failures as MqError.
  async api<T>(subject: string, body?: unknown, options: { retry?: boolean } = {}): Promise<T> {
    const nc = await this.connection();
    const payload = body === undefined ? '' : JSON.stringify(body);
    const call = async () => {
      const reply = await nc.request(`$JS.API.${subject}`, payload, { timeout: this.requestTimeoutMs });
      const answer = reply.json<T & { error?: { code: number; err_code: number; description: string } }>();
      if (answer.error) throw new JsApiError(answer.error.code, answer.error.err_code ?? 0, answer.error.description, subject);
      return answer as T;
    };
    try {
      return options.retry === false ? await call() : await this.retrying(call);
    } catch (error) {
      if (error instanceof JsApiError && !isRetryable(error)) throw error;
      throw toMqError(error, this.where);
    }
  }

  // Creates a stream (R3, or R1 on a server that is not clustered), or brings an existing one to this
  // configuration; returns its info.
  async createStream(config: Record<string, unknown> & { name: string }): Promise<StreamInfo> {
    const name = config.name;
    // Connected first: the connection tells whether the server is clustered.
    await this.connection();
    for (;;) {
      const full = { num_replicas: this.replicas, ...config };
      try {
        return await this.api<StreamInfo>(`STREAM.CREATE.${name}`, full);
      } catch (error) {
        if (isJsError(error, JS_ERR.REPLICAS_NOT_SUPPORTED) && this.replicas > 1) {
          this.replicas = 1;
          continue;
        }
        if (isJsError(error, JS_ERR.STREAM_NAME_IN_USE)) return this.api<StreamInfo>(`STREAM.UPDATE.${name}`, full);
        throw error;
      }
    }
  }

  // Creates a durable consumer, or updates it to this configuration (idempotent).
  async createConsumer(stream: string, config: Record<string, unknown> & { durable_name: string }): Promise<ConsumerInfo> {
    return this.api<ConsumerInfo>(`CONSUMER.CREATE.${stream}.${config.durable_name}`, { stream_name: stream, config });
  }

  // Every consumer of a stream (the API pages them).
  async listConsumers(stream: string): Promise<ConsumerInfo[]> {
    return this.paged<ConsumerInfo>(`CONSUMER.LIST.${stream}`, 'consumers');
  }

  // Every stream name of the account.
  async streamNames(): Promise<string[]> {
    return this.paged<string>('STREAM.NAMES', 'streams');
  }

  private async paged<T>(subject: string, field: string): Promise<T[]> {
    const all: T[] = [];
    for (let offset = 0; ; ) {
      const page = await this.api<Record<string, unknown> & { total: number }>(subject, { offset });
      const items = (page[field] as T[] | null) ?? [];
      all.push(...items);
      offset += items.length;
      if (items.length === 0 || offset >= page.total) return all;
    }
  }

  headers(values: Headers): MsgHdrs {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(values)) h.set(key, value);
    return h;
  }

  // One try of a publish to a stream: its PubAck, or the failure (JsApiError for an error answer).
  async publishOnce(subject: string, data: Uint8Array | string, headers?: MsgHdrs): Promise<PubAck> {
    const nc = await this.connection();
    const reply = await nc.request(subject, data, { timeout: this.requestTimeoutMs, ...(headers ? { headers } : {}) });
    if (reply.headers?.code && reply.headers.code >= 400) throw new JsApiError(reply.headers.code, 0, reply.headers.description || 'error', subject);
    const ack = reply.json<PubAck & { error?: { code: number; err_code: number; description: string } }>();
    if (ack.error) throw new JsApiError(ack.error.code, ack.error.err_code ?? 0, ack.error.description, subject);
    return ack;
  }

  // Publishes messages to streams and reports each one's PubAck or failure, in order. They go in rounds of
  // `window` sent at once (pipelined), each round waited for whole; failures worth trying again are then
  // retried one by one, in order, with the same headers (the message id makes a stored one count once),
  // until the deadline, before the next round goes. So a leader change cannot let a later message of one
  // subject overtake a retried earlier one beyond its round: all of a round reaches the same leader, which
  // stores a prefix of it and loses the rest.
  // With `stopOn`, a round with a failure it names ends the publishing: the messages after that round
  // are left unsent (undefined), for the caller to decide about (a closed shard: route them again).
  async publishAll(
    messages: { subject: string; data: Uint8Array | string; headers?: MsgHdrs }[],
    options: { window?: number; retry?: (error: unknown) => boolean; stopOn?: (error: unknown) => boolean } = {},
  ): Promise<(PubAck | Error | undefined)[]> {
    const window = options.window ?? 256;
    const retry = options.retry ?? isRetryable;
    const results = new Array<PubAck | Error | undefined>(messages.length);
    let deadline = 0;
    let unavailable: Error | undefined;
    for (let from = 0; from < messages.length; from += window) {
      if (options.stopOn && results.slice(0, from).some((r) => r instanceof Error && options.stopOn!(r))) break;
      const round = messages.slice(from, from + window);
      if (unavailable) {
        // The cluster did not answer within the wait: the rest is not sent.
        for (let i = 0; i < round.length; i++) results[from + i] = unavailable;
        continue;
      }
      await Promise.all(round.map((message, i) => this.publishOnce(message.subject, message.data, message.headers).then(
        (ack) => void (results[from + i] = ack),
        (error: unknown) => void (results[from + i] = error as Error),
      )));
      for (let i = from; i < from + round.length; i++) {
        const result = results[i];
        if (!(result instanceof Error) || !retry(result)) continue;
        if (unavailable) {
          results[i] = unavailable;
          continue;
        }
        if (deadline < Date.now()) deadline = Date.now() + this.unavailableAfterMs;
        const message = messages[i]!;
        try {
          results[i] = await this.retrying(() => this.publishOnce(message.subject, message.data, message.headers), { retry, deadline });
        } catch (error) {
          results[i] = error as Error;
          if (error instanceof MqError && error.code === 'UNAVAILABLE') unavailable = error;
        }
      }
    }
    return results;
  }

  // A message of a stream by sequence, or the first at/after a sequence on a subject, or the last on a
  // subject; null when there is none.
  async getMessage(stream: string, query: { seq: number; next_by_subj?: string } | { last_by_subj: string }): Promise<StoredMessage | null> {
    try {
      const { message } = await this.api<{ message: RawStoredMessage }>(`STREAM.MSG.GET.${stream}`, query);
      return decodeStoredMessage(message);
    } catch (error) {
      if (isJsError(error, JS_ERR.NO_MESSAGE_FOUND)) return null;
      throw error;
    }
  }

  // A pull from a consumer: up to `batch` messages, waiting up to `expiresMs` for the first one (returning
  // as soon as any came). A bare no_wait (expiresMs 0) only where the consumer has no max_ack_pending:
  // 2.9.10 holds that request while a consumer is at its max_ack_pending; with expires it answers 408 at
  // the end instead. Throws a retryable error when no consumer leader answers; after `signal` aborts,
  // returns what came.
  async pull(stream: string, consumer: string, request: PullRequest, signal?: AbortSignal): Promise<Msg[]> {
    const nc = await this.connection();
    const inbox = createInbox();
    const messages: Msg[] = [];
    const expiresMs = request.expiresMs;
    return new Promise<Msg[]>((resolve, reject) => {
      let sub: Subscription | undefined;
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: unknown) => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        sub?.unsubscribe();
        if (error && messages.length === 0) reject(error);
        else resolve(messages);
      };
      const onAbort = () => finish();
      sub = nc.subscribe(inbox, {
        callback: (error, msg) => {
          if (error) return finish(error);
          const code = msg.headers?.code ?? 0;
          if (code === 0 && msg.reply) {
            messages.push(msg);
            if (messages.length >= request.batch) finish();
          } else if (code === 503) {
            finish(new JsApiError(503, 0, 'no responders', `${stream}.${consumer}`));
          } else if (code === 404 || code === 408 || code === 409 || code === 400) {
            // No messages, the request expired, or the consumer went away / changed: what came is all.
            finish();
          }
          // 100 (heartbeats, flow control) carry nothing for a pull.
        },
      });
      if (signal?.aborted) return finish();
      signal?.addEventListener('abort', onAbort);
      // No answer at all: the consumer does not exist, or its leader is gone (2.9 drops the request).
      timer = setTimeout(() => finish(messages.length ? undefined : new PullTimeoutError(stream, consumer)), expiresMs + PULL_GRACE_MS);
      const body = {
        batch: request.batch,
        ...(expiresMs > 0 ? { expires: expiresMs * 1_000_000 } : {}),
        no_wait: true,
        ...(request.maxBytes ? { max_bytes: request.maxBytes } : {}),
      };
      nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify(body), { reply: inbox });
    });
  }

  // An acknowledgement (+ACK, -NAK, ...) to a delivery's reply subject, answered by the server once done.
  async acknowledge(replySubject: string, body: string): Promise<void> {
    const nc = await this.connection();
    await this.retrying(() => nc.request(replySubject, body, { timeout: this.requestTimeoutMs }));
  }

  // A plain NATS message (no stream), for doorbells.
  async notify(subject: string): Promise<void> {
    const nc = await this.connection();
    nc.publish(subject, encoder.encode(''));
  }

  async subscribe(subject: string, callback: () => void): Promise<Subscription> {
    const nc = await this.connection();
    return nc.subscribe(subject, { callback: () => callback() });
  }
}

interface RawStoredMessage {
  subject: string;
  seq: number;
  hdrs?: string;
  data?: string;
  time: string;
}

export function decodeStoredMessage(raw: RawStoredMessage): StoredMessage {
  const headers = new Map<string, string>();
  if (raw.hdrs) {
    const decoded = MsgHdrsImpl.decode(Buffer.from(raw.hdrs, 'base64'));
    for (const key of decoded.keys()) headers.set(key, decoded.get(key));
  }
  return {
    subject: raw.subject,
    seq: raw.seq,
    data: raw.data ? Buffer.from(raw.data, 'base64') : new Uint8Array(0),
    headers,
    time: Date.parse(raw.time),
  };
}

// The headers of a delivered message as a map.
export function headersOf(msg: Msg): Map<string, string> {
  const map = new Map<string, string>();
  if (msg.headers) for (const key of msg.headers.keys()) map.set(key, msg.headers.get(key));
  return map;
}
