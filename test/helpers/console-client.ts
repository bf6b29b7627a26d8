// A small HTTP client for the console tests: keeps cookies like a browser, reads the CSRF token out of a
// page's forms, posts forms, and reads server-sent events.
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string, private readonly extraHeaders: Record<string, string> = {}) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  request(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, this.base), {
        method,
        headers: { ...this.extraHeaders, ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}), ...options.headers },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          for (const cookie of res.headers['set-cookie'] ?? []) {
            const [pair] = cookie.split(';');
            const eq = pair!.indexOf('=');
            this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('GET', path, { headers });
  }

  postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  // The CSRF token of a page's forms (loading the page sets the cookie it belongs to).
  async csrfToken(path = '/'): Promise<string> {
    const page = await this.get(path);
    const match = /name="csrf" value="([^"]+)"/.exec(page.body);
    if (!match) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return match[1]!;
  }

  // Opens the page's live stream and calls `onEvent` for each event until it returns true (then closes).
  // `onOpen` runs once the stream is open.
  events(path: string, onEvent: (event: string, data: string, id: string | undefined) => boolean, onOpen?: () => void, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = http.get(new URL(path, this.base), { headers: { ...this.extraHeaders, accept: 'text/event-stream', ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}) } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`live stream answered ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        onOpen?.();
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
            const event = field('event');
            if (event !== undefined && onEvent(event, field('data') ?? '', field('id'))) {
              clearTimeout(timer);
              req.destroy();
              resolve();
              return;
            }
          }
        });
        res.on('end', () => reject(new Error('live stream ended before the expected event')));
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`no expected event on ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (error) => {
        if (!req.destroyed || (error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
      });
    });
  }
}
