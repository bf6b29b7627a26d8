// The frame of every console page: head (our stylesheet and script only, nothing from elsewhere), a top
// bar with the way back to the overview, the live status and the session, then the page's own content.
import { type Html, html } from './html.js';
import { assetUrl } from './assets.js';

export interface PageContext {
  // The hidden field every form carries (see csrf.ts).
  csrfToken: string;
  readOnly: boolean;
  // Signed in with a session (show "Sign out").
  signedIn: boolean;
  // What the footer names as the store (a directory, or a server URL without credentials).
  storeLabel: string;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export interface PageOptions {
  title: string;
  // Links from the overview down to this page.
  crumbs?: { href: string; label: string }[];
  main: Html;
  notice?: Notice | null;
  // With JavaScript off, reload the page this often (read-only pages whose numbers move).
  refreshSeconds?: number;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="csrf" value="${ctx.csrfToken}">`;
}

export function renderPage(ctx: PageContext, options: PageOptions): string {
  const crumbs = [{ href: '/', label: 'Overview' }, ...(options.crumbs ?? [])];
  const refresh = options.refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${options.refreshSeconds}"></noscript>` : '';
  const notice = options.notice ? html`<p class="notice ${options.notice.kind}" role="${options.notice.kind === 'error' ? 'alert' : 'status'}">${options.notice.text}</p>` : '';
  const signOut = ctx.signedIn ? html`<form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">Sign out</button></form>` : '';
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="dark"><title>${options.title} · mq console</title><link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml"><link rel="stylesheet" href="${assetUrl('mq.css')}"><script src="${assetUrl('mq.js')}" defer></script>${refresh}</head><body><a class="skip" href="#main">Skip to content</a><header class="top"><a class="brand" href="/" aria-label="mq console, overview">mq</a><nav aria-label="Breadcrumb"><ol>${crumbs.map((c, i) => (i === crumbs.length - 1 && crumbs.length > 1
    ? html`<li><a href="${c.href}" aria-current="page">${c.label}</a></li>`
    : html`<li><a href="${c.href}">${c.label}</a></li>`))}</ol></nav><span class="live" id="live-status" aria-live="polite"></span>${ctx.readOnly ? html`<span class="badge">read-only</span>` : ''}${signOut}</header><main id="main">${notice}${options.main}</main><footer>Store: ${ctx.storeLabel}</footer></body></html>`.text}`;
}
