// Signed-in browsers (when the server has credentials): a random session id in a cookie, remembered in
// this server's memory for 12 hours. A restart signs everyone out.
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'mq_session';
export const SESSION_MS = 12 * 3_600_000;
const MAX_SESSIONS = 1000;

export class Sessions {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  create(): string {
    const id = randomBytes(32).toString('base64url');
    if (this.expiries.size >= MAX_SESSIONS) this.prune();
    // Still full of live sessions: the oldest goes.
    if (this.expiries.size >= MAX_SESSIONS) this.expiries.delete(this.expiries.keys().next().value!);
    this.expiries.set(id, this.now() + SESSION_MS);
    return id;
  }

  isValid(id: string | undefined): boolean {
    if (!id) return false;
    const expiresAt = this.expiries.get(id);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.now()) {
      this.expiries.delete(id);
      return false;
    }
    return true;
  }

  remove(id: string | undefined): void {
    if (id) this.expiries.delete(id);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, expiresAt] of this.expiries) if (expiresAt <= now) this.expiries.delete(id);
  }
}
