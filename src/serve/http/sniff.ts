// Tells an HTTP/2 connection (prior knowledge: it starts with the connection preface) from an HTTP/1.1
// one by its first bytes, which may arrive in any number of packets.
import type net from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

// Reads a connection's first bytes until they are, or cannot be, the HTTP/2 preface; puts them back and
// calls `route`. An HTTP/1.1 socket is resumed here; node:http2 takes an HTTP/2 socket's buffered bytes
// and reads its handle itself (even when a large first packet had filled the buffer and stopped it). A
// client that sends nothing within the timeout is disconnected.
export function sniff(socket: Pick<net.Socket, 'on' | 'once' | 'off' | 'pause' | 'resume' | 'unshift' | 'destroy'>, timeoutMs: number, route: (isHttp2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    const couldBeHttp2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (couldBeHttp2 && seen.length < PREFACE.length) return;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.pause();
    socket.unshift(seen);
    route(couldBeHttp2);
    if (!couldBeHttp2) socket.resume();
  };
  const onClose = () => clearTimeout(timer);
  socket.on('data', onData);
  socket.once('close', onClose);
}
