// The small pages: sign in, and an error (not found, refused, failed) with the way back.
import { html } from '../html.js';
import { type PageContext, csrfField, renderPage } from '../layout.js';
import { paths } from '../paths.js';

export function loginPage(ctx: PageContext, next: string, failed: boolean): string {
  const main = html`<h1>Sign in</h1>
<p>This console needs the access key and secret key the server was started with.</p>
<form class="stack" method="post" action="${paths.login()}">${csrfField(ctx)}<input type="hidden" name="next" value="${next}">
<label>Access key<input name="accessKey" autocomplete="username" required></label>
<label>Secret key<input name="secretKey" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`;
  return renderPage(ctx, { title: 'Sign in', main, notice: failed ? { kind: 'error', text: 'The access key or secret key is wrong.' } : null });
}

export function errorPage(ctx: PageContext, title: string, message: string): string {
  return renderPage(ctx, { title, main: html`<h1>${title}</h1><p class="notice error" role="alert">${message}</p><p><a href="${paths.overview()}">Back to the overview</a></p>` });
}
