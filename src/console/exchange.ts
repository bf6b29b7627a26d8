// One request to the console and the ways to answer it: a page (with the security headers every page
// carries), a redirect, plain text, or a live stream of the page's regions.
import type { Html } from './html.js';
import { type Request, type Response, headerOf } from './http-types.js';
import type { PageContext } from './layout.js';

// Pages load our own script and stylesheet only; nothing inline runs, nothing is framed.
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export interface Exchange {
  req: Request;
  res: Response;
  url: URL;
  params: Record<string, string>;
  // The browser asked for the page's live updates (EventSource), not the page.
  live: boolean;
  // The submitted form of a POST (its CSRF token already checked).
  form: URLSearchParams;
  // What pages need of the request: the CSRF token (setting its cookie when the browser has none).
  page(): PageContext;
  // Cookies to set with the answer.
  cookies: string[];
}

export function wantsEventStream(req: Request): boolean {
  return (headerOf(req, 'accept') ?? '').includes('text/event-stream');
}

function headers(x: Exchange, contentType: string): Record<string, string | string[]> {
  return {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': 'no-store',
    ...(x.cookies.length > 0 ? { 'set-cookie': x.cookies } : {}),
  };
}

export function sendPage(x: Exchange, status: number, page: string): void {
  const body = Buffer.from(page, 'utf8');
  x.res.writeHead(status, { ...headers(x, 'text/html; charset=utf-8'), 'content-length': String(body.length) });
  x.res.end(body);
}

export function sendText(x: Exchange, status: number, text: string, extra: Record<string, string> = {}, contentType = 'text/plain; charset=utf-8'): void {
  const body = Buffer.from(text, 'utf8');
  x.res.writeHead(status, { ...headers(x, contentType), 'content-length': String(body.length), ...extra });
  x.res.end(body);
}

// 303: after a POST, the browser GETs the page it is sent to (a reload does not repeat the change).
export function redirect(x: Exchange, location: string): void {
  x.res.writeHead(303, { ...headers(x, 'text/plain; charset=utf-8'), location, 'content-length': '0' });
  x.res.end();
}

export function regionTexts(regions: Record<string, Html>): Record<string, string> {
  return Object.fromEntries(Object.entries(regions).map(([name, region]) => [name, region.text]));
}
