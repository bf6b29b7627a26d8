// The URL that names a NATS cluster: one or more servers, comma-separated, each `nats://host:port` (or
// `tls://`, or a bare `host:port`), credentials as `user:password@` or `token@` on any of them. Shown to
// people without the credentials. Pure.
import { redactUrl } from '../core/backend-url.js';
import { invalidArgument } from '../core/errors.js';

export interface NatsUrl {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  tls: boolean;
  // The servers without credentials, as error messages and `mq top` show them.
  display: string;
}

const SCHEMES = new Set(['nats:', 'tls:']);

export function parseNatsUrl(text: string): NatsUrl {
  const parts = text.split(',').map((part) => part.trim());
  if (text.trim() === '' || parts.some((part) => part === '')) throw invalidArgument(`invalid NATS URL ${JSON.stringify(redactUrl(text))}: expected nats://host:port[,host:port...]`);
  const servers: string[] = [];
  let user: string | undefined;
  let pass: string | undefined;
  let token: string | undefined;
  let tls = false;
  for (const part of parts) {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(part) ? part : `nats://${part}`);
    } catch {
      throw invalidArgument(`invalid NATS URL ${JSON.stringify(redactUrl(text))}: cannot read ${JSON.stringify(redactUrl(part))}`);
    }
    if (!SCHEMES.has(url.protocol)) throw invalidArgument(`invalid NATS URL ${JSON.stringify(redactUrl(text))}: use nats:// or tls://, not ${url.protocol}//`);
    if (!url.hostname || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
      throw invalidArgument(`invalid NATS URL ${JSON.stringify(redactUrl(text))}: expected host:port in ${JSON.stringify(redactUrl(part))}`);
    }
    if (url.protocol === 'tls:') tls = true;
    if (url.username && url.password) {
      user = decodeURIComponent(url.username);
      pass = decodeURIComponent(url.password);
    } else if (url.username) {
      token = decodeURIComponent(url.username);
    }
    servers.push(`${url.hostname}:${url.port || '4222'}`);
  }
  return {
    servers,
    ...(user !== undefined ? { user, pass: pass! } : {}),
    ...(token !== undefined ? { token } : {}),
    tls,
    display: servers.map((server) => `${tls ? 'tls' : 'nats'}://${server}`).join(','),
  };
}
