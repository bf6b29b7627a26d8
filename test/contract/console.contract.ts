// The console's contract over any backend: what its pages show, what its forms change, and what it
// refuses. Each test starts a real HTTP server on 127.0.0.1 (an ephemeral port) over a fresh backend and
// talks to it as a browser would (cookies, forms, server-sent events).
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { type BackendFactory, useFreshBackend } from './backend-fixture.js';

const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">&amp; "quoted"';

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function describeConsoleContract(name: string, makeBackend: BackendFactory): void {
  describe(`console over ${name}`, () => {
    let backend: Backend;
    const servers: RunningServer[] = [];
    useFreshBackend(makeBackend, (b) => {
      backend = b;
    });
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.close();
    });

    async function start(options: { readOnly?: boolean; keys?: ReadonlyMap<string, string> } = {}): Promise<ConsoleClient> {
      const server = await startServer({
        backend, host: '127.0.0.1', port: 0, apis: false, authenticator: null, storeLabel: 'test store',
        consoleReadOnly: options.readOnly ?? false, ...(options.keys ? { keys: options.keys } : {}),
      });
      servers.push(server);
      return new ConsoleClient(`${server.endpoint}/`);
    }

    it('lists every queue and stream on the overview, with the security headers', async () => {
      await backend.queues.create('jobs-dead');
      await backend.queues.create('jobs', { deadLetter: { queue: 'jobs-dead', maxReceives: 3 } });
      await backend.queues.send('jobs', [{ body: 'a' }, { body: 'b' }]);
      await backend.streams.create('events', { shardCount: 2 });
      const client = await start();
      const page = await client.get('/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['set-cookie']?.[0]).toMatch(/^mq_csrf=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(page.body).toMatch(/<tr data-queue="jobs">.*?data-field="visible">2</);
      expect(page.body).toContain('<tr data-queue="jobs-dead">');
      expect(page.body).toContain('<a href="/queues/jobs-dead">jobs-dead</a>');
      expect(page.body).toContain('<tr data-stream="events">');
      // Nothing is loaded from elsewhere.
      expect(page.body.match(/(?:src|href|action)="([^"]+)"/g)!.filter((attr) => !/="(?:\/(?!\/)|#)/.test(attr))).toEqual([]);
    });

    it('shows a queue\'s messages as text, hostile ones included, without receiving them', async () => {
      await backend.queues.create('jobs');
      await backend.queues.send('jobs', [{ body: HOSTILE, attributes: { note: '<b>bold</b>' } }]);
      const client = await start();
      const page = await client.get('/queues/jobs');
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('<script>window');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;&amp;amp; &quot;quoted&quot;');
      expect(page.body).toContain('&lt;b&gt;bold&lt;/b&gt;');
      const stats = await backend.queues.stats('jobs');
      expect([stats.visible, stats.inFlight]).toEqual([1, 0]);
      // The receive-count histogram, where the store keeps one (JetStream does not: the page says so).
      if (backend.traits.exactStats) {
        expect(stats.receiveCounts).toEqual({ 0: 1 });
        expect(page.body).toMatch(/<tbody data-live="histogram"><tr><th scope="row">never received<\/th><td class="n">1</);
      } else {
        expect(page.body).toContain('This store keeps no receive counts per message');
      }
    });

    it('sends a message from the form, with its attributes, and says so', async () => {
      await backend.queues.create('jobs');
      const client = await start();
      const csrf = await client.csrfToken('/queues/jobs');
      const answer = await client.postForm('/queues/jobs/messages', { csrf, queue: 'jobs', body: 'line one\r\nline two', attributes: 'kind=test\r\nowner=a=b', delay: '' });
      expect(answer.status).toBe(303);
      const id = /\?sent=([\w-]+)$/.exec(answer.headers.location!)![1]!;
      const [message] = await backend.queues.peek('jobs');
      expect(message).toMatchObject({ id, body: 'line one\nline two', attributes: { kind: 'test', owner: 'a=b' } });
      expect((await client.get(answer.headers.location!)).body).toContain(`Sent message ${id}.`);
    });

    it('refuses a change without the CSRF token of the browser\'s own cookie, or from another origin', async () => {
      await backend.queues.create('jobs');
      const client = await start();
      const csrf = await client.csrfToken('/queues/jobs');
      const other = await start();
      const otherToken = await new ConsoleClient(client.base).csrfToken('/queues/jobs');
      const fields = { queue: 'jobs', body: 'x', attributes: '', delay: '' };
      expect((await client.postForm('/queues/jobs/messages', fields)).status).toBe(403);
      expect((await client.postForm('/queues/jobs/messages', { ...fields, csrf: otherToken })).status).toBe(403);
      expect((await client.postForm('/queues/jobs/messages', { ...fields, csrf }, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await new ConsoleClient(client.base).postForm('/queues/jobs/messages', { ...fields, csrf })).status).toBe(403);
      expect(other).toBeDefined();
      expect((await backend.queues.stats('jobs')).visible).toBe(0);
    });

    it('re-checks the queue a form names against the queue its address names', async () => {
      await backend.queues.create('jobs');
      await backend.queues.create('other');
      const client = await start();
      const csrf = await client.csrfToken('/queues/jobs');
      const answer = await client.postForm('/queues/jobs/messages', { csrf, queue: 'other', body: 'x', attributes: '', delay: '' });
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('the form was for queue &quot;other&quot;, not &quot;jobs&quot;');
      expect((await backend.queues.stats('jobs')).visible + (await backend.queues.stats('other')).visible).toBe(0);
    });

    it('shows the form again with the error when a message is invalid', async () => {
      await backend.queues.create('jobs');
      const client = await start();
      const csrf = await client.csrfToken('/queues/jobs');
      const answer = await client.postForm('/queues/jobs/messages', { csrf, queue: 'jobs', body: 'keep <me>', attributes: 'AWS.reserved=1', delay: '' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/Not sent: invalid attribute name &quot;AWS.reserved&quot;/);
      expect(answer.body).toContain('>keep &lt;me&gt;</textarea>');
      expect((await backend.queues.stats('jobs')).visible).toBe(0);
    });

    it('purges only after the queue\'s name is typed to confirm', async () => {
      await backend.queues.create('jobs');
      await backend.queues.send('jobs', [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
      const client = await start();
      const confirmation = await client.get('/queues/jobs/purge');
      expect(confirmation.body).toContain('Purge queue jobs?');
      expect(confirmation.body).toContain('This deletes all 3 messages of <strong>jobs</strong>');
      const csrf = await client.csrfToken('/queues/jobs/purge');
      const wrong = await client.postForm('/queues/jobs/purge', { csrf, queue: 'jobs', confirm: 'job' });
      expect(wrong.status).toBe(400);
      expect((await backend.queues.stats('jobs')).visible).toBe(3);
      const right = await client.postForm('/queues/jobs/purge', { csrf, queue: 'jobs', confirm: 'jobs' });
      expect([right.status, right.headers.location]).toEqual([303, '/queues/jobs?purged=3']);
      expect((await backend.queues.stats('jobs')).visible).toBe(0);
    });

    it('redrives dead letters back to their source and shows the progress to the end', async () => {
      await backend.queues.create('jobs-dead');
      await backend.queues.create('jobs', { deadLetter: { queue: 'jobs-dead', maxReceives: 1 }, visibilityTimeoutMs: 0 });
      await backend.queues.send('jobs', [{ body: 'a' }, { body: 'b' }]);
      await backend.queues.receive('jobs', { max: 2 });
      await until('dead letters', async () => (await backend.queues.receive('jobs', { max: 2 })).length === 0 && (await backend.queues.stats('jobs-dead')).visible === 2);
      const client = await start();
      const page = await client.get('/queues/jobs-dead');
      expect(page.body).toContain('Where its messages came from');
      expect(page.body).toMatch(/<a href="\/queues\/jobs">jobs<\/a><\/td><td>names this queue as its dead-letter queue<\/td><td class="n">2</);
      const csrf = await client.csrfToken('/queues/jobs-dead');
      const answer = await client.postForm('/queues/jobs-dead/redrive', { csrf, queue: 'jobs-dead', to: '', rate: '' });
      expect([answer.status, answer.headers.location]).toEqual([303, '/queues/jobs-dead/redrive']);
      const done = await until('the redrive to finish', async () => {
        const progress = await client.get('/queues/jobs-dead/redrive');
        return progress.body.includes('data-state="done"') && progress.body;
      });
      expect(done).toContain('Done: moved <strong>2</strong> messages');
      expect((await backend.queues.stats('jobs')).visible).toBe(2);
      expect((await backend.queues.stats('jobs-dead')).visible).toBe(0);
    });

    it('in read-only mode offers no form and refuses every change', async () => {
      await backend.queues.create('jobs');
      await backend.queues.send('jobs', [{ body: 'a' }]);
      const client = await start({ readOnly: true });
      const page = await client.get('/queues/jobs');
      expect(page.body).toContain('read-only');
      expect(page.body).not.toContain('<form');
      for (const [path, fields] of [
        ['/queues/jobs/messages', { queue: 'jobs', body: 'x' }],
        ['/queues/jobs/purge', { queue: 'jobs', confirm: 'jobs' }],
        ['/queues/jobs/redrive', { queue: 'jobs' }],
      ] as const) {
        const answer = await client.postForm(path, fields);
        expect([answer.status, answer.body.includes('started with --read-only')]).toEqual([403, true]);
      }
      expect((await backend.queues.stats('jobs')).visible).toBe(1);
    });

    it('with credentials, asks to sign in (form or HTTP Basic) and lets only the right ones in', async () => {
      await backend.queues.create('jobs');
      const client = await start({ keys: new Map([['ops', 'pa ss']]) });
      const first = await client.get('/queues/jobs');
      expect([first.status, first.headers.location]).toEqual([303, '/login?next=%2Fqueues%2Fjobs']);
      const metrics = await client.get('/metrics');
      expect([metrics.status, metrics.headers['www-authenticate']]).toEqual([401, 'Basic realm="mq", charset="UTF-8"']);
      const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
      expect((await client.get('/metrics', basic('ops', 'pa ss'))).status).toBe(200);
      expect((await client.get('/metrics', basic('ops', 'pass'))).status).toBe(401);
      const csrf = await client.csrfToken('/login');
      const wrong = await client.postForm('/login', { csrf, next: '/queues/jobs', accessKey: 'ops', secretKey: 'nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain('The access key or secret key is wrong.');
      const right = await client.postForm('/login', { csrf, next: '/queues/jobs', accessKey: 'ops', secretKey: 'pa ss' });
      expect([right.status, right.headers.location]).toEqual([303, '/queues/jobs']);
      expect(client.cookies.get('mq_session')).toMatch(/^[\w-]{40,}$/);
      expect((await client.get('/queues/jobs')).status).toBe(200);
      // Only a path of this console to go back to, never another site.
      expect((await client.postForm('/login', { csrf, next: '//evil.example/x', accessKey: 'ops', secretKey: 'pa ss' })).headers.location).toBe('/');
      expect((await client.postForm('/logout', { csrf })).status).toBe(303);
      expect((await client.get('/queues/jobs')).status).toBe(303);
    });

    it('answers on loopback only requests addressed to a loopback name', async () => {
      const client = await start();
      expect((await client.get('/', { host: 'evil.example' })).status).toBe(403);
      expect((await client.get('/', { host: 'localhost:1234' })).status).toBe(200);
    });

    it('answers 404 for what does not exist and 405 for a wrong method', async () => {
      await backend.streams.create('events');
      const client = await start();
      expect((await client.get('/queues/nope')).status).toBe(404);
      expect((await client.get('/queues/..%2Fetc')).status).toBe(404);
      expect((await client.get('/streams/nope')).status).toBe(404);
      expect((await client.get('/streams/events/shards/7')).status).toBe(404);
      expect((await client.get('/nowhere')).status).toBe(404);
      expect((await client.get('/queues/nope')).body).toContain('queue &quot;nope&quot; does not exist');
      expect((await client.request('DELETE', '/queues/nope')).status).toBe(405);
      expect((await client.request('POST', '/')).status).toBe(405);
    });

    it('pushes the overview\'s regions again when the store changes', async () => {
      await backend.queues.create('jobs');
      const client = await start();
      let sent = false;
      await client.events('/', (event, data) => {
        if (event !== 'regions') return false;
        const regions = JSON.parse(data) as Record<string, string>;
        if (!sent) {
          expect(regions.queues).toMatch(/data-field="visible">0</);
          sent = true;
          void backend.queues.send('jobs', [{ body: 'new' }]);
          return false;
        }
        return /data-field="visible">1</.test(regions.queues ?? '');
      });
    });

    it('shows a stream\'s shards, lineage and groups, and tails a shard live', async () => {
      const { streams } = backend;
      await streams.create('events', { shardCount: 1 });
      await streams.put('events', [{ data: '<b>first</b>', partitionKey: 'k' }]);
      await streams.splitShard('events', 'shardId-000000000000');
      await streams.setCheckpoint('events', 'billing', 'shardId-000000000000', { sentinel: 'TRIM_HORIZON' });
      const client = await start();
      const page = await client.get('/streams/events');
      expect(page.body).toContain('aria-label="Shard lineage: shard 1 from shard 0; shard 2 from shard 0"');
      expect(page.body).toMatch(/<tr data-group="billing" data-shard="shardId-000000000000"><td>billing<\/td><td>shard 0<\/td><td>TRIM_HORIZON/);
      const tail = await client.get('/streams/events/shards/shardId-000000000000');
      expect(tail.body).toContain('<pre>&lt;b&gt;first&lt;/b&gt;</pre>');
      const open = (await client.get('/streams/events/shards/1')).body;
      const after = /data-after="(\d*)"/.exec(open)![1];
      expect(after).toBe('');
      await client.events(`/streams/events/shards/shardId-000000000001?after=${after}`, (event, data, id) => {
        if (event !== 'records') return false;
        expect(JSON.parse(data)).toContain('<pre>second &lt;i&gt;</pre>');
        expect(id).toMatch(/^1000000000001\d{20}$/);
        return true;
      }, () => void streams.put('events', [{ data: 'second <i>', explicitHashKey: '0' }]));
    });

    it('serves /metrics in the Prometheus text format, with its own request counts', async () => {
      await backend.queues.create('jobs');
      await backend.queues.send('jobs', [{ body: 'a' }]);
      const client = await start();
      await client.get('/');
      const answer = await client.get('/metrics');
      expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const families = parsePrometheusText(answer.body);
      expect(sampleValue(families, 'mq_queue_messages', { queue: 'jobs', state: 'visible' })).toBe(1);
      expect(sampleValue(families, 'mq_http_requests_total', { action: 'console:overview', code: '200' })).toBe(1);
    });
  });
}
