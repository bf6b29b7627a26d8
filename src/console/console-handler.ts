// The console as a request handler that any node:http or node:http2 server can mount (mq console runs it
// alone; mq serve beside its APIs): the route table, who may see what (the server's access rule, then
// sign-in when the server has credentials), CSRF checks and read-only mode for every change, the
// security headers, and errors as pages. Only the Backend's interfaces are used, so it works over any
// backend.
import type { Backend } from '../core/backend.js';
import { type Clock, systemClock } from '../core/clock.js';
import { type MqErrorCode, isMqError } from '../core/errors.js';
import { type AccessKeys, basicCredentials, credentialsMatch, hostHeaderAllowed } from '../http/access.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import { findAsset } from './assets.js';
import * as change from './change-routes.js';
import type { ConsoleState } from './console-state.js';
import { cookieHeader, readCookies } from './cookies.js';
import { CSRF_COOKIE, CsrfTokens } from './csrf.js';
import { type Exchange, SECURITY_HEADERS, redirect, sendPage, sendText, wantsEventStream } from './exchange.js';
import { MAX_FORM_BYTES, readForm } from './forms.js';
import { type Request, type Response, headerOf, hostOf } from './http-types.js';
import type { PageContext } from './layout.js';
import { LiveConnections } from './live.js';
import { errorPage, loginPage } from './pages/simple.js';
import * as read from './read-routes.js';
import { RedriveTasks } from './redrive-tasks.js';
import { OverviewSampler } from './sampler.js';
import { SESSION_COOKIE, SESSION_MS, Sessions } from './sessions.js';

export interface ConsoleOptions {
  backend: Backend;
  // The address the server listens on: on loopback, only requests addressed to a loopback name are answered.
  listenHost: string;
  // With access keys, every page needs one with its secret (HTTP Basic, or a session from the sign-in form).
  keys?: AccessKeys;
  // Refuse every change (send, purge, redrive).
  readOnly?: boolean;
  // The server's request counts and latencies, shown on /metrics.
  requests: RequestMetrics;
  // How the footer names the store (never with credentials in it).
  storeLabel: string;
  clock?: Clock;
}

export interface ConsoleHandler {
  handle(req: Request, res: Response): Promise<void>;
  // The action a request is counted under in the request metrics and the access log.
  actionOf(req: Request): string;
  // Ends every live connection and stops background work (call before closing the server, which waits
  // for open responses).
  close(): void;
}

type Access = 'public' | 'signed-in';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  action: string;
  access?: Access;
  run: (x: Exchange, state: ConsoleState) => Promise<void>;
}

function routes(handlers: { login: Route['run']; loginForm: Route['run']; logout: Route['run']; asset: Route['run'] }): Route[] {
  return [
    { method: 'GET', path: '/', action: 'console:overview', run: read.overview },
    { method: 'GET', path: '/metrics', action: 'metrics', run: read.metrics },
    { method: 'GET', path: '/queues/:queue', action: 'console:queue', run: read.queue },
    { method: 'GET', path: '/queues/:queue/purge', action: 'console:purge_confirm', run: read.purgeConfirmation },
    { method: 'GET', path: '/queues/:queue/redrive', action: 'console:redrive_progress', run: read.redriveProgress },
    { method: 'GET', path: '/streams/:stream', action: 'console:stream', run: read.stream },
    { method: 'GET', path: '/streams/:stream/shards/:shard', action: 'console:shard_tail', run: read.shardTail },
    { method: 'POST', path: '/queues/:queue/messages', action: 'console:send', run: change.send },
    { method: 'POST', path: '/queues/:queue/purge', action: 'console:purge', run: change.purge },
    { method: 'POST', path: '/queues/:queue/redrive', action: 'console:redrive', run: change.redrive },
    { method: 'GET', path: '/assets/:asset', action: 'console:asset', access: 'public', run: handlers.asset },
    { method: 'GET', path: '/login', action: 'console:login', access: 'public', run: handlers.loginForm },
    { method: 'POST', path: '/login', action: 'console:login', access: 'public', run: handlers.login },
    { method: 'POST', path: '/logout', action: 'console:logout', access: 'public', run: handlers.logout },
  ];
}

function match(route: Route, segments: string[]): Record<string, string> | null {
  const parts = route.path.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i]!.startsWith(':')) params[parts[i]!.slice(1)] = segments[i]!;
    else if (parts[i] !== segments[i]) return null;
  }
  return params;
}

function segmentsOf(url: URL): string[] | null {
  try {
    return url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

const STATUS_BY_CODE: Partial<Record<MqErrorCode, number>> = {
  QUEUE_NOT_FOUND: 404, STREAM_NOT_FOUND: 404, SHARD_NOT_FOUND: 404, GROUP_NOT_FOUND: 404,
  INVALID_ARGUMENT: 400, INVALID_NAME: 404, INVALID_MESSAGE: 400, MESSAGE_TOO_LARGE: 400, RECORD_TOO_LARGE: 400,
  ALREADY_EXISTS: 409, CONFLICT: 409, LOCKED: 409, SHARD_CLOSED: 409,
};

// A path inside this console to return to after signing in (never another site).
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/';
}

export function createConsole(options: ConsoleOptions): ConsoleHandler {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const state: ConsoleState = {
    backend: options.backend,
    clock,
    sampler: new OverviewSampler(options.backend, clock),
    redrives: new RedriveTasks(now),
    requests: options.requests,
    live: new LiveConnections(),
    readOnly: options.readOnly ?? false,
  };
  const csrf = new CsrfTokens();
  const sessions = new Sessions(now);
  const keys = options.keys && options.keys.size > 0 ? options.keys : undefined;

  const signedInBySession = (req: Request) => sessions.isValid(readCookies(req).get(SESSION_COOKIE));
  const authorized = (req: Request): boolean => {
    if (!keys) return true;
    const basic = basicCredentials(headerOf(req, 'authorization'));
    return (basic !== null && credentialsMatch(keys, basic.user, basic.password)) || signedInBySession(req);
  };

  const table = routes({
    asset: async (x) => {
      const asset = findAsset(x.params.asset!);
      if (!asset) return void sendText(x, 404, 'no such file\n');
      if (headerOf(x.req, 'if-none-match') === asset.etag) {
        x.res.writeHead(304, { etag: asset.etag });
        x.res.end();
        return;
      }
      x.res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'content-length': String(asset.body.length), etag: asset.etag, 'cache-control': 'no-cache' });
      x.res.end(asset.body);
    },
    loginForm: async (x) => {
      if (!keys || authorized(x.req)) return void redirect(x, safeNext(x.url.searchParams.get('next')));
      sendPage(x, 200, loginPage(x.page(), safeNext(x.url.searchParams.get('next')), false));
    },
    login: async (x) => {
      const next = safeNext(x.form.get('next'));
      if (!keys) return void redirect(x, next);
      if (!credentialsMatch(keys, x.form.get('accessKey') ?? '', x.form.get('secretKey') ?? '')) {
        return void sendPage(x, 401, loginPage(x.page(), next, true));
      }
      x.cookies.push(cookieHeader(SESSION_COOKIE, sessions.create(), SESSION_MS / 1000));
      redirect(x, next);
    },
    logout: async (x) => {
      sessions.remove(readCookies(x.req).get(SESSION_COOKIE));
      x.cookies.push(cookieHeader(SESSION_COOKIE, '', 0));
      redirect(x, keys ? '/login' : '/');
    },
  });

  function find(req: Request): { route: Route | null; params: Record<string, string>; url: URL; methodAllowed: boolean } {
    const url = new URL(req.url ?? '/', 'http://mq.invalid');
    const segments = segmentsOf(url);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let methodAllowed = true;
    if (segments) {
      for (const route of table) {
        const params = match(route, segments);
        if (!params) continue;
        if (route.method === method) return { route, params, url, methodAllowed: true };
        methodAllowed = false;
      }
    }
    return { route: null, params: {}, url, methodAllowed };
  }

  function exchange(req: Request, res: Response, url: URL, params: Record<string, string>): Exchange {
    const cookies: string[] = [];
    let page: PageContext | undefined;
    const x: Exchange = {
      req, res, url, params, cookies,
      live: wantsEventStream(req),
      form: new URLSearchParams(),
      page() {
        if (!page) {
          let id = readCookies(req).get(CSRF_COOKIE);
          if (!id) {
            id = csrf.newId();
            cookies.push(cookieHeader(CSRF_COOKIE, id));
          }
          page = { csrfToken: csrf.tokenFor(id), readOnly: state.readOnly, signedIn: signedInBySession(req), storeLabel: options.storeLabel };
        }
        return page;
      },
    };
    return x;
  }

  // A POST must come from a page of this console: its CSRF token matches the browser's cookie, and an
  // Origin header, when the browser sends one, names this server.
  function sameOrigin(req: Request): boolean {
    const origin = headerOf(req, 'origin');
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === hostOf(req);
    } catch {
      return false;
    }
  }

  async function handle(req: Request, res: Response): Promise<void> {
    const { route, params, url, methodAllowed } = find(req);
    const x = exchange(req, res, url, params);
    try {
      if (!hostHeaderAllowed(options.listenHost, hostOf(req))) {
        return sendText(x, 403, 'this server answers only requests addressed to localhost or a loopback address\n');
      }
      if (!route) {
        if (!methodAllowed) return sendText(x, 405, 'method not allowed\n', { allow: req.method === 'POST' ? 'GET' : 'POST' });
        return sendPage(x, 404, errorPage(x.page(), 'Not found', `Nothing is at ${url.pathname}.`));
      }
      if (route.access !== 'public' && !authorized(req)) {
        if (route.method === 'GET' && !x.live && route.action !== 'metrics') {
          return redirect(x, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
        }
        return sendText(x, 401, 'credentials needed: sign in, or HTTP Basic with the access key and secret key\n', { 'www-authenticate': 'Basic realm="mq", charset="UTF-8"' });
      }
      if (route.method === 'POST') {
        if (state.readOnly && route.access !== 'public') {
          return sendPage(x, 403, errorPage(x.page(), 'Read-only', 'This console was started with --read-only: it changes nothing.'));
        }
        x.form = await readForm(req, MAX_FORM_BYTES);
        if (!sameOrigin(req) || !csrf.verify(readCookies(req).get(CSRF_COOKIE), x.form.get('csrf'))) {
          return sendPage(x, 403, errorPage(x.page(), 'Refused', 'The form came from another site, or it is out of date: reload the page and try again.'));
        }
      }
      await route.run(x, state);
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = isMqError(error) ? STATUS_BY_CODE[error.code] ?? 500 : 500;
      const message = isMqError(error) ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
      if (x.live) return sendText(x, status, `${message}\n`);
      sendPage(x, status, errorPage(x.page(), status === 404 ? 'Not found' : status === 500 ? 'Something went wrong' : 'Not done', message));
      if (status === 500) throw error;
    }
  }

  return {
    handle,
    actionOf: (req) => find(req).route?.action ?? 'console:not_found',
    close() {
      state.live.closeAll();
      state.sampler.close();
      state.redrives.close();
    },
  };
}
