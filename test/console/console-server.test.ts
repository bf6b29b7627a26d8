// The console handler mounted on node:http2 (as mq serve mounts it beside its APIs), and the server's
// stop: live connections are ended, so closing does not wait for them.
import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsole } from '../../src/console/console-handler.js';
import { startConsoleServer } from '../../src/console/console-server.js';
import type { Backend } from '../../src/core/backend.js';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { RequestMetrics } from '../../src/metrics/request-metrics.js';
import { ConsoleClient } from '../helpers/console-client.js';

let home: string;
let backend: Backend;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-console-'));
  backend = createFsBackend({ home });
});

afterEach(async () => {
  await backend.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the console handler', () => {
  it('answers over HTTP/2 through node:http2\'s compatibility API', async () => {
    await backend.queues.create('jobs');
    const handler = createConsole({ backend, listenHost: '127.0.0.1', requests: new RequestMetrics(), storeLabel: 'test' });
    const server = http2.createServer((req, res) => void handler.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const { status, body, csp } = await new Promise<{ status: number; body: string; csp: unknown }>((resolve, reject) => {
        const stream = session.request({ ':path': '/queues/jobs' });
        let status = 0;
        let csp: unknown;
        const chunks: Buffer[] = [];
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
          csp = headers['content-security-policy'];
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8'), csp }));
        stream.on('error', reject);
      });
      expect(status).toBe(200);
      expect(body).toContain('<h1>Queue jobs');
      expect(csp).toContain("default-src 'none'");
    } finally {
      session.close();
      handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('ends live connections when the server stops, so that stopping does not wait for them', async () => {
    const server = await startConsoleServer({ backend, host: '127.0.0.1', port: 0, storeLabel: 'test' });
    const client = new ConsoleClient(server.url);
    let closing: Promise<void> | undefined;
    const ended = client.events('/', () => {
      closing ??= server.close();
      return false;
    }).catch((error: Error) => error.message);
    expect(await ended).toBe('live stream ended before the expected event');
    await closing;
  });
});
