// Tokens against cross-site request forgery. Each browser gets a random id in a cookie (HttpOnly,
// SameSite=Strict); every form carries the HMAC of that id under a key that exists only in this server's
// memory. A change is made only when the form's token matches its own cookie, which a page of another
// site can neither read nor compute.
import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from '../http/access.js';

export const CSRF_COOKIE = 'mq_csrf';

export class CsrfTokens {
  private readonly key = randomBytes(32);

  newId(): string {
    return randomBytes(18).toString('base64url');
  }

  tokenFor(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  verify(id: string | undefined, token: string | null): boolean {
    if (!id || !token) return false;
    return sameSecret(this.tokenFor(id), token);
  }
}
