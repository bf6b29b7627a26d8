// One POST over a fresh HTTP/2 connection (prior knowledge, as the AWS SDK speaks to an http:// endpoint),
// answered as status and body; `connect` supplies the socket where a test needs its own.
import http2 from 'node:http2';
import type net from 'node:net';

export function h2Request(
  endpoint: string,
  headers: Record<string, string>,
  body: string | Buffer,
  connect?: () => net.Socket,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint, connect ? { createConnection: connect } : {});
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': '/', ...headers });
    let status = 0;
    let data = '';
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (chunk) => (data += chunk));
    stream.on('end', () => {
      session.close();
      resolve({ status, body: data });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}
