// Cookies of the console: read from the Cookie header, written HttpOnly and SameSite=Strict (a page on
// another site can neither read them nor have the browser send them with its requests).
import type { Request } from './http-types.js';
import { headerOf } from './http-types.js';

export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (headerOf(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function cookieHeader(name: string, value: string, maxAgeSeconds?: number): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${maxAgeSeconds !== undefined ? `; Max-Age=${maxAgeSeconds}` : ''}`;
}
