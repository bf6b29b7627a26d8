// The pure parts of the JetStream backend (no server): names, URLs, receipts, headers, server versions.
import { describe, expect, it } from 'vitest';
import { JetStreamNames, encodeToken, fromBase64url, validateNamespace } from '../../src/jetstream/names.js';
import { parseNatsUrl } from '../../src/jetstream/nats-url.js';
import { ackSubjectOf, parseAckSubject, timestampMs } from '../../src/jetstream/ack-subject.js';
import { formatReceipt, parseReceipt } from '../../src/jetstream/queue/receipts.js';
import { decodeMeta, encodeMeta, headerBytes } from '../../src/jetstream/queue/message-headers.js';
import { keyHeaders, keyOf } from '../../src/jetstream/stream/records.js';
import { isSupportedServer } from '../../src/jetstream/server-version.js';
import { codeOfSync } from '../helpers/error-codes.js';

describe('JetStream names', () => {
  it('encode names so that no two names share a token and no token holds a dot', () => {
    expect(encodeToken('jobs.fifo')).toBe('jobs_dfifo');
    expect(encodeToken('a_b')).toBe('a__b');
    expect(encodeToken('a_d')).toBe('a__d');
    expect(encodeToken('a.')).not.toBe(encodeToken('a_d'));
    const names = ['a.b', 'a_b', 'a__b', 'a_db', 'a._b', 'a_.b'];
    expect(new Set(names.map(encodeToken)).size).toBe(names.length);
    for (const name of names) expect(encodeToken(name)).not.toContain('.');
  });

  it('prefix every stream, subject, consumer and key by the namespace, and hash names past 200 characters', () => {
    const n = new JetStreamNames('team-a');
    expect(n.queueStream('jobs.fifo')).toBe('team-a_q_jobs_dfifo');
    expect(n.queueSubjectPrefix('jobs')).toBe('team-a.q.jobs');
    expect(n.shardStream('ev.1', 12)).toBe('team-a_s_ev_d1_12');
    expect(n.shardSubject('ev', 3)).toBe('team-a.s.ev.3');
    expect(n.bucket).toBe('team-a_meta');
    expect(n.groupShardKey('ev', 'g.1', 2)).toBe('g.ev.g_d1.2');
    const long = 'x.'.repeat(64);
    expect(n.queueStream(long).length).toBeLessThanOrEqual(200);
    expect(n.shardStream(long, 999).length).toBeLessThanOrEqual(200);
    expect(n.token(long)).toMatch(/^_h[0-9a-f]{40}$/);
    expect(n.token(long)).not.toBe(n.token(`${long}y`));
    expect(new JetStreamNames('a_b').queueStream('q')).toBe('a__b_q_q');
    for (const bad of ['', 'has space', 'a.b', 'x'.repeat(33)]) expect(codeOfSync(() => validateNamespace(bad))).toBe('INVALID_ARGUMENT');
  });

  it('read base64url tokens back, and only canonical ones', () => {
    expect(fromBase64url('Zw')).toBe('g');
    expect(fromBase64url('Zx')).toBeNull();
    expect(fromBase64url('a.b')).toBeNull();
  });
});

describe('NATS URLs', () => {
  it('take one or more servers with credentials, and show them without', () => {
    expect(parseNatsUrl('nats://u:p%40ss@h1:4222,h2')).toEqual({
      servers: ['h1:4222', 'h2:4222'], user: 'u', pass: 'p@ss', tls: false, display: 'nats://h1:4222,nats://h2:4222',
    });
    expect(parseNatsUrl('tls://tok@h1:7422')).toMatchObject({ servers: ['h1:7422'], token: 'tok', tls: true, display: 'tls://h1:7422' });
    expect(parseNatsUrl('nats://127.0.0.1:4222,127.0.0.1:4223').servers).toEqual(['127.0.0.1:4222', '127.0.0.1:4223']);
  });

  it('refuse what is no NATS URL, without echoing credentials', () => {
    for (const bad of ['', 'nats://h1,', 'http://h1', 'nats://u:secret@h1/path', 'nats://h1?x=1', 'nats://:4222']) {
      expect([bad, codeOfSync(() => parseNatsUrl(bad))]).toEqual([bad, 'INVALID_ARGUMENT']);
    }
    try {
      parseNatsUrl('nats://u:secret@h1/path');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('ack subjects and receipts', () => {
  const v1 = '$JS.ACK.mq_q_jobs.r.3.17.42.1700000000123456789.5';
  const v2 = '$JS.ACK._.ACCOUNTHASH.mq_q_jobs.r.3.17.42.1700000000123456789.5.tok';

  it('parse both subject forms and rebuild them exactly', () => {
    for (const subject of [v1, v2]) {
      const ack = parseAckSubject(subject)!;
      expect(ack).toMatchObject({ stream: 'mq_q_jobs', consumer: 'r', delivered: 3, streamSeq: 17, consumerSeq: 42 });
      expect(timestampMs(ack)).toBe(1_700_000_000_123);
      expect(ackSubjectOf(ack)).toBe(subject);
    }
    for (const bad of ['$JS.ACK.s.c.1.2.3', '$JS.ACK.s.c.x.2.3.4.5', '$JS.ACK.s.*.1.2.3.4.5', 'JS.ACK.s.c.1.2.3.4.5', '$JS.ACK.s.c.0.2.3.4.5']) {
      expect([bad, parseAckSubject(bad)]).toEqual([bad, null]);
    }
  });

  it('take a receipt only from its own queue, consumer and incarnation', () => {
    const ack = parseAckSubject(v1)!;
    const queue = { name: 'jobs', createdAt: 1_700_000_000_000, stream: 'mq_q_jobs' };
    const receipt = formatReceipt(queue.createdAt, ack);
    expect(parseReceipt(receipt, queue, (c) => c === 'r')).toEqual(ack);
    expect(codeOfSync(() => parseReceipt(receipt, { ...queue, stream: 'mq_q_other' }, () => true))).toBe('RECEIPT_INVALID');
    expect(codeOfSync(() => parseReceipt(receipt, queue, (c) => c === 'd'))).toBe('RECEIPT_INVALID');
    expect(codeOfSync(() => parseReceipt(receipt, { ...queue, createdAt: queue.createdAt + 1 }, (c) => c === 'r'))).toBe('RECEIPT_STALE');
    for (const bad of ['', 'nodot', `${receipt}.extra`, receipt.replace('.r.', '.$JS.'), 'x'.repeat(2000)]) {
      expect([bad.slice(0, 40), codeOfSync(() => parseReceipt(bad, queue, () => true))]).toEqual([bad.slice(0, 40), 'RECEIPT_INVALID']);
    }
  });
});

describe('message and record headers', () => {
  it('carry attributes (any characters), group, dedup id, source and moves, and nothing for a plain message', () => {
    const meta = {
      id: '01HZZZZZZZ0000000000000001', sentAt: 1_700_000_000_000, attributes: { k: 'line\r\nbreak é', n: '1' }, group: 'g-1',
      dedupId: 'd', deadLetterSource: 'jobs', receivesBefore: 3, delayMs: 500,
    };
    const headers = encodeMeta(meta);
    expect(Object.values(headers).join('')).not.toMatch(/[\r\n]/);
    expect(decodeMeta(new Map(Object.entries(headers)))).toEqual(meta);
    expect(encodeMeta({ attributes: {}, receivesBefore: 0 })).toEqual({});
    expect(headerBytes({ 'Nats-Msg-Id': 'abc' })).toBe(12 + 11 + 3 + 4);
  });

  it('carry a partition key as it is when printable, else encoded', () => {
    for (const key of ['user-42', 'with space inside', ' lead', 'é', 'line\nbreak', '😀']) {
      expect([key, keyOf(new Map(Object.entries(keyHeaders(key))))]).toEqual([key, key]);
    }
    expect(keyHeaders('user-42')).toEqual({ 'Mq-Key': 'user-42' });
    expect(Object.keys(keyHeaders(' lead'))).toEqual(['Mq-Key64']);
  });
});

describe('server versions', () => {
  it('take 2.9 and newer', () => {
    for (const ok of ['2.9.0', '2.9.10', '2.10.1', '2.11.0-RC.1', '3.0.0']) expect([ok, isSupportedServer(ok)]).toEqual([ok, true]);
    for (const old of ['2.8.4', '2.2.0', '1.4.1', 'junk']) expect([old, isSupportedServer(old)]).toEqual([old, false]);
  });
});
