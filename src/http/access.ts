// Who may talk to an mq server (mq serve, mq console): on a loopback address anyone on this machine,
// without credentials; on any other address only with credentials, so a server is never open to a
// network by accident. A server on loopback also answers only requests addressed to a loopback name,
// so a web page that points its own domain name at 127.0.0.1 (DNS rebinding) cannot read or drive it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { MqError } from '../core/errors.js';

// Access key ids and their secret keys (a server may accept several, as mq serve's credentials file gives).
export type AccessKeys = ReadonlyMap<string, string>;

// True for localhost, 127.0.0.0/8 and ::1 (with or without brackets).
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^(0*:){7}0*1$/.test(bare) || bare.toLowerCase() === '::ffff:127.0.0.1';
  return false;
}

// Throws INVALID_ARGUMENT unless a server may listen on `host` with the credentials given.
export function checkListenAccess(host: string, keys: AccessKeys | undefined, what: string): void {
  if (!isLoopbackHost(host) && (!keys || keys.size === 0)) {
    throw new MqError('INVALID_ARGUMENT', `${what} on ${host} needs credentials (--access-key and --secret-key): without them it listens on loopback only`);
  }
}

// The host name of a Host header (or HTTP/2 :authority) without its port.
export function hostOfHeader(header: string): string {
  const bracketed = /^(\[[^\]]*\])(?::\d*)?$/.exec(header);
  if (bracketed) return bracketed[1]!;
  const colon = header.lastIndexOf(':');
  return colon >= 0 && header.indexOf(':') === colon ? header.slice(0, colon) : header;
}

// Whether a request may be answered by a server listening on `listenHost`: one on loopback answers only
// requests addressed to a loopback name (a request without a Host header comes from no browser).
export function hostHeaderAllowed(listenHost: string, header: string | undefined): boolean {
  if (!isLoopbackHost(listenHost) || header === undefined) return true;
  return isLoopbackHost(hostOfHeader(header));
}

// The user name and password of an `Authorization: Basic ...` header, or null.
export function basicCredentials(authorization: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// Compares in time independent of where the strings differ (digests first, so lengths may differ).
export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

// Whether `password` is the secret key of access key `user`. An unknown key is compared too (with a
// secret nobody has), so the time taken does not tell which keys exist.
export function credentialsMatch(keys: AccessKeys, user: string, password: string): boolean {
  const secret = keys.get(user);
  const matches = sameSecret(secret ?? `\u0000no key ${user}`, password);
  return secret !== undefined && matches;
}
