// One TCP port for HTTP/1.1 and HTTP/2 over cleartext (prior knowledge, as the AWS SDK for JavaScript's
// HTTP/2 handler speaks to an http:// endpoint): each connection's first bytes are compared with the
// HTTP/2 connection preface and the socket is handed to the matching server. Both servers call the same
// handler through Node's compatible request/response API. Timeouts bound every stage a client controls
// (sniffing, headers, whole request, idle keep-alive), so a slow or silent client holds only its own
// socket. close() stops accepting, lets requests in flight finish, then closes every connection.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { MqError } from '../../core/errors.js';
import { sniff } from './sniff.js';

export type RequestHandler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

export interface ListenerLimits {
  // A client must send its request line and headers (or the HTTP/2 preface) within this time.
  headersTimeoutMs: number;
  // ...and the whole request within this time.
  requestTimeoutMs: number;
  // An idle connection (no request in progress) is closed after this time.
  idleTimeoutMs: number;
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: ListenerLimits = {
  headersTimeoutMs: 10_000,
  // A long poll waits up to 20 s before it answers; the request itself must arrive well within this.
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
  maxHeaderBytes: 64 * 1024,
};

export interface Listener {
  readonly host: string;
  readonly port: number;
  // Stops accepting connections, waits for requests in flight, then closes every connection.
  close(): Promise<void>;
}

const H2_STREAM_WINDOW = 16 * 1024 * 1024;
const H2_SESSION_WINDOW = 32 * 1024 * 1024;

export async function listen(host: string, port: number, handler: RequestHandler, limits = DEFAULT_LIMITS): Promise<Listener> {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();

  const counted: RequestHandler = (req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (closing && inFlight === 0) drained?.();
    });
    if (closing && 'setHeader' in res && res instanceof http.ServerResponse) res.setHeader('connection', 'close');
    handler(req, res);
  };

  const h1 = http.createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  }, counted);
  // The HTTP/1.1 server gets its connections from us, not from listen(); its connection tracking (which
  // enforces the headers and request timeouts, and lets closeIdleConnections work) starts on 'listening'.
  h1.emit('listening');
  // Windows large enough for a PutRecords body (10 MiB of data in base64) to arrive without waiting for
  // window updates: HTTP/2's default of 64 KiB costs round trips on every large request.
  const h2 = http2.createServer({
    maxSessionMemory: 64,
    settings: { maxConcurrentStreams: 256, maxHeaderListSize: limits.maxHeaderBytes, initialWindowSize: H2_STREAM_WINDOW },
  }, counted);
  h2.on('session', (session) => {
    session.once('connect', () => session.setLocalWindowSize(H2_SESSION_WINDOW));
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.setTimeout(limits.idleTimeoutMs, () => session.close());
    if (closing) session.close();
  });
  // A stream whose request has not ended within the limit is reset (HTTP/1.1's requestTimeout).
  h2.on('stream', (stream) => {
    const timer = setTimeout(() => {
      if (!stream.closed && !stream.headersSent) stream.close(http2.constants.NGHTTP2_CANCEL);
    }, limits.requestTimeoutMs);
    timer.unref();
    stream.once('close', () => clearTimeout(timer));
  });
  for (const server of [h1, h2]) server.on('clientError' as never, (_error: Error, socket: net.Socket) => socket.destroy());

  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (closing) {
      socket.destroy();
      return;
    }
    sniff(socket, limits.headersTimeoutMs, (isHttp2) => {
      // node:http2 reads the socket's handle itself (no JavaScript stream between), after first taking
      // what sniff() put back in the socket's buffer.
      (isHttp2 ? h2 : h1).emit('connection', socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => reject(new MqError('IO', `cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`, { cause: error }));
    tcp.once('error', refused);
    tcp.listen({ host, port }, () => {
      tcp.off('error', refused);
      resolve();
    });
  });
  const address = tcp.address() as net.AddressInfo;

  return {
    host: address.address,
    port: address.port,
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const session of sessions) session.close();
      h1.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      for (const session of sessions) session.close();
      h1.closeAllConnections();
      for (const socket of sockets) socket.end();
      const forced = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, 2000);
      await stopped;
      clearTimeout(forced);
      // Stops the connection checks (the server never listened itself, so close() reports that; ignored).
      h1.close(() => {});
    },
  };
}
