// HTTP/2 connections are told apart by their first bytes and handed, socket and all, to node:http2:
// a preface that arrives in pieces, and a first packet large enough to fill the socket's buffer (so
// that it stops reading before the handoff), must both reach the server whole.
import net from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sniff } from '../../src/serve/http/sniff.js';
import { h2Request } from '../helpers/h2-request.js';
import { startTestServer } from '../helpers/serve.js';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const LIST_QUEUES = { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' };

describe('sniffing the HTTP/2 preface', () => {
  it('waits for a preface that arrives in two pieces, then puts all of it back', () => {
    const socket = new PassThrough();
    const routed: boolean[] = [];
    sniff(socket as never, 60_000, (isHttp2) => routed.push(isHttp2));
    socket.write(PREFACE.slice(0, 7));
    expect(routed).toEqual([]);
    socket.write(`${PREFACE.slice(7)}FRAMES`);
    expect(routed).toEqual([true]);
    expect(String(socket.read())).toBe(`${PREFACE}FRAMES`);
  });

  it('routes to HTTP/1.1 at the first byte that cannot be the preface', () => {
    const socket = new PassThrough();
    const routed: boolean[] = [];
    sniff(socket as never, 60_000, (isHttp2) => routed.push(isHttp2));
    socket.write('PR');
    expect(routed).toEqual([]);
    socket.write('OPFIND / HTTP/1.1\r\n');
    expect(routed).toEqual([false]);
    expect(String(socket.read())).toBe('PROPFIND / HTTP/1.1\r\n');
  });
});

describe('HTTP/2 handoff to node:http2', () => {
  it('answers a client whose preface reaches the server in two packets', async () => {
    const t = await startTestServer();
    const port = Number(new URL(t.endpoint).port);
    // The client's first bytes (the preface) go out in two writes; the second only after the server
    // has answered a request on another connection, by when it has read the first (the same event loop).
    const connect = () => {
      const socket = net.connect(port, '127.0.0.1');
      let first = true;
      const duplex = new Duplex({
        read: () => socket.resume(),
        write(chunk: Buffer, _encoding, callback) {
          if (!first) return socket.write(chunk, callback);
          first = false;
          socket.write(chunk.subarray(0, 10), () => {
            fetch(t.endpoint, { method: 'POST', headers: LIST_QUEUES, body: '{}' }).then((r) => r.text()).then(() => socket.write(chunk.subarray(10), callback), callback);
          });
        },
        final: (callback) => socket.end(callback),
        destroy: (error, callback) => {
          socket.destroy();
          callback(error);
        },
      });
      socket.on('data', (chunk) => {
        if (!duplex.push(chunk)) socket.pause();
      });
      socket.once('end', () => duplex.push(null));
      return duplex as unknown as net.Socket;
    };
    expect(await h2Request(t.endpoint, LIST_QUEUES, '{}', connect)).toEqual({ status: 200, body: '{}' });
    expect(t.log.map((entry) => entry.http)).toEqual(['1.1', '2.0']);
  });

  it('answers a request whose first packet fills the socket buffer (preface, headers and 60 KiB of body at once)', async () => {
    const t = await startTestServer();
    await t.backend.queues.create('big');
    const port = Number(new URL(t.endpoint).port);
    // Corked until the request is written, so that the preface, the settings, the headers and the body
    // (up to HTTP/2's initial window of 64 KiB) leave in one write.
    const connect = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.cork();
      setImmediate(() => socket.uncork());
      return socket;
    };
    const body = JSON.stringify({ QueueUrl: t.queueUrl('big'), MessageBody: 'x'.repeat(60 * 1024) });
    const answer = await h2Request(t.endpoint, { 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' }, body, connect);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ MessageId: expect.any(String) });
    expect((await t.backend.queues.receive('big', { max: 1 }))[0]!.body).toHaveLength(60 * 1024);
  });
});
