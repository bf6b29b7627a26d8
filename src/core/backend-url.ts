// Backend URLs (`nats://h1:4222,h2:4222`): the scheme that picks the engine, and the URL as it may be
// shown in messages and views, without the credentials it may carry. Pure.
import { invalidArgument } from './errors.js';

export interface BackendUrl {
  // The scheme, lower-case, without "://" ("nats").
  scheme: string;
  // The URL with any user:password@ of each host left out.
  display: string;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s;

export function parseBackendUrl(text: string): BackendUrl {
  const match = URL_SHAPE.exec(text.trim());
  if (!match) throw invalidArgument(`invalid backend URL ${JSON.stringify(redactUrl(text))}: expected SCHEME://HOST[:PORT][,HOST[:PORT]...]`);
  return { scheme: match[1]!.toLowerCase(), display: redactUrl(text.trim()) };
}

// The URL without credentials: "nats://user:secret@h1:4222,h2" shows as "nats://h1:4222,h2".
export function redactUrl(text: string): string {
  const match = URL_SHAPE.exec(text);
  if (!match) return text.replace(/[^@/]*@/g, '');
  const [, scheme, rest] = match;
  const slash = rest!.indexOf('/');
  const [hosts, tail] = slash === -1 ? [rest!, ''] : [rest!.slice(0, slash), rest!.slice(slash)];
  return `${scheme}://${hosts.split(',').map((host) => host.slice(host.lastIndexOf('@') + 1)).join(',')}${tail}`;
}
