// The transport of mq serve: HTTP/1.1 and HTTP/2 on one port, bounded bodies, clients that are slow or
// send garbage, routes other than the API, and a graceful close that ends long polls and lets requests
// in flight finish.
import http from 'node:http';
import net from 'node:net';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends.js';
import { startServer } from '../../src/serve/server.js';
import { h2Request } from '../helpers/h2-request.js';
import { CREDENTIALS, startTestServer } from '../helpers/serve.js';
import { tempHome } from '../helpers/tmp-home.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('mq serve transport', () => {
  it('answers HTTP/1.1 and HTTP/2 (prior knowledge) on the same port', async () => {
    const t = await startTestServer();
    const headers = { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' };
    const viaH2 = await h2Request(t.endpoint, headers, '{}');
    const viaH1 = await fetch(t.endpoint, { method: 'POST', headers, body: '{}' });
    expect(viaH2).toEqual({ status: 200, body: '{}' });
    expect([viaH1.status, await viaH1.text()]).toEqual([200, '{}']);
    expect(t.log.map((entry) => entry.http)).toEqual(['2.0', '1.1']);
  });

  it('refuses a body over the limit with 413, and keeps serving', async () => {
    const t = await startTestServer({ maxBodyBytes: 1000 });
    const big = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues' }, body: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    const ok = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('answers 404 for paths that are no API, and survives garbage on a connection', async () => {
    const t = await startTestServer();
    expect((await fetch(`${t.endpoint}/favicon.ico`)).status).toBe(404);
    const socket = net.connect(Number(new URL(t.endpoint).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('\x00\x01garbage\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const ok = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('refuses, without credentials, requests from other web origins and to names that are not loopback', async () => {
    const t = await startTestServer();
    const headers = { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' };
    const crossSite = await fetch(t.endpoint, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: '{}' });
    expect(crossSite.status).toBe(403);
    const form = await fetch(t.endpoint, {
      method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateQueue&QueueName=x',
    });
    expect([form.status, await form.text()]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')]);
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(t.endpoint, { method: 'POST', headers: { ...headers, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(rebound).toBe(403);
    const local = await fetch(t.endpoint, { method: 'POST', headers: { ...headers, origin: 'http://localhost:3000' }, body: '{}' });
    expect(local.status).toBe(200);
    expect(await t.backend.queues.list()).toEqual([]);
  });

  it('serves others while a client sends its headers slowly, and drops that client after the headers timeout', async () => {
    const home = tempHome();
    const backend = openBackend({ home, durability: 'none' });
    const server = await startServer({ backend, host: '127.0.0.1', port: 0, authenticator: null, limits: { headersTimeoutMs: 1000 } });
    cleanups.push(async () => {
      await server.close();
      await backend.close();
    });
    const slow = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write('POST / HTTP/1.1\r\nHost: x\r\n');
    const silent = net.connect(server.port, '127.0.0.1');
    const closed = Promise.all([slow, silent].map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    const started = Date.now();
    const ok = await fetch(server.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(ok.status).toBe(200);
    await closed;
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('on close, ends long polls at once (empty), finishes requests in flight and stops accepting', async () => {
    const home = tempHome();
    const backend = openBackend({ home, durability: 'none' });
    const server = await startServer({ backend, host: '127.0.0.1', port: 0, authenticator: null });
    const sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    cleanups.push(async () => {
      sqs.destroy();
      await backend.close();
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await server.close();
    const result = await polling;
    expect(result.Messages).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(fetch(server.endpoint, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
