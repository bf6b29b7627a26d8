// The console in a real browser (headless Chromium, driven by puppeteer-core) against the built
// `mq console`, with the store changed by the CLI meanwhile: what the pages show, their live updates,
// the forms, a hostile message body, JavaScript off, a phone's screen, the page weight, and an
// accessibility check (axe-core) of every page. A screenshot of each page is kept in test-artifacts/.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type LaunchedBrowser, launchChromium } from '../helpers/browser.js';
import { type ConsoleProcess, startMqConsole } from '../helpers/mq-console.js';
import { describeRun, jsonLines, runMq } from '../helpers/run-mq.js';

const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & "quotes"';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PAGE_BUDGET_BYTES = 100 * 1024;

let home: string;
let chromium: LaunchedBrowser;
let server: ConsoleProcess;

async function mq(...args: string[]): Promise<string> {
  const result = await runMq(args, { home });
  if (result.exitCode !== 0) throw new Error(`mq ${args.join(' ')} failed\n${describeRun(result)}`);
  return result.stdout;
}

interface Opened {
  page: Page;
  // Every request the page made, and the bytes of each answer.
  requests: string[];
  bytes: Map<string, number>;
}

async function open(urlPath: string, options: { javaScript?: boolean; phone?: boolean } = {}): Promise<Opened> {
  const page = await chromium.browser.newPage();
  const requests: string[] = [];
  const bytes = new Map<string, number>();
  page.on('request', (request) => void requests.push(request.url()));
  page.on('response', (response) => {
    void response.buffer().then((body) => bytes.set(response.url(), body.length), () => undefined);
  });
  await page.setJavaScriptEnabled(options.javaScript ?? true);
  if (options.phone) await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  else await page.setViewport({ width: 1200, height: 800 });
  await page.goto(new URL(urlPath, server.url).href, { waitUntil: 'load' });
  return { page, requests, bytes };
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Waits until the page's live stream is connected (the status in the top bar says so).
async function live(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('live-status')?.textContent === 'live', { timeout: 20_000 });
}

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent ?? '');
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-browser-'));
  await mq('create', 'jobs-dead');
  await mq('create', 'jobs', '--dlq', 'jobs-dead', '--max-receives', '1', '--visibility-timeout', '0s');
  await mq('create', 'live');
  await mq('create', 'hostile');
  await mq('create', 'purge-me');
  await mq('send', 'hostile', '--attr', 'note=<b>bold</b>', HOSTILE);
  await mq('send', 'purge-me', 'a', 'b', 'c');
  await mq('send', 'jobs', 'failed once', 'failed twice');
  // Received once (the maximum), so the next receive moves both to the dead-letter queue.
  await mq('receive', 'jobs', '-n', '2');
  await mq('receive', 'jobs', '-n', '2');
  await mq('create-stream', 'events', '--shards', '2');
  await runMq(['put', 'events', '--explicit-hash-key', '0'], { home, input: 'one\ntwo\nthree\n' });
  await mq('tail', 'events', '--group', 'billing', '-n', '1');
  chromium = await launchChromium();
  server = await startMqConsole(home);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('the console in a browser', () => {
  it('lists on the overview what the CLI created, loading nothing from elsewhere, under 100 KB', async () => {
    const { page, requests, bytes } = await open('/');
    const queues = await page.$$eval('tbody[data-live="queues"] tr', (rows) => rows.map((row) => row.getAttribute('data-queue')));
    expect(queues).toEqual(['hostile', 'jobs', 'jobs-dead', 'live', 'purge-me']);
    expect(await page.$$eval('tbody[data-live="streams"] tr', (rows) => rows.map((row) => row.getAttribute('data-stream')))).toEqual(['events']);
    expect(await text(page, 'tr[data-queue="purge-me"] td[data-field="visible"]')).toBe('3');
    expect(await text(page, 'tr[data-queue="jobs"] td:nth-child(6)')).toBe('jobs-dead 2');
    await live(page);
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    await page.waitForNetworkIdle({ idleTime: 200, timeout: 20_000 }).catch(() => undefined);
    const total = [...bytes].filter(([url]) => !url.includes('text/event-stream')).reduce((sum, [, n]) => sum + n, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(PAGE_BUDGET_BYTES);
    await screenshot(page, 'overview');
    await page.close();
  });

  it('shows a message sent with mq send within 2 s, without a reload', async () => {
    const { page } = await open('/');
    await live(page);
    await page.evaluate(() => {
      (window as unknown as { __loaded: boolean }).__loaded = true;
    });
    expect(await text(page, 'tr[data-queue="live"] td[data-field="visible"]')).toBe('0');
    await mq('send', 'live', 'hello');
    const sentAt = Date.now();
    await page.waitForFunction(() => document.querySelector('tr[data-queue="live"] td[data-field="visible"]')?.textContent === '1', { timeout: 20_000, polling: 'mutation' });
    const latencyMs = Date.now() - sentAt;
    expect(await page.evaluate(() => (window as unknown as { __loaded?: boolean }).__loaded)).toBe(true);
    expect(latencyMs).toBeLessThan(2000);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'send-to-overview-latency.json'), `${JSON.stringify({ latencyMs })}\n`);
    await page.close();
  });

  it('peeks at a hostile body and shows it as text: nothing in it runs', async () => {
    const { page } = await open('/queues/hostile');
    const body = await text(page, 'tbody[data-live="messages"] pre.body');
    expect(body).toBe(HOSTILE);
    expect(await text(page, 'tbody[data-live="messages"] dd pre')).toBe('<b>bold</b>');
    expect(await page.$$('tbody[data-live="messages"] img, tbody[data-live="messages"] script, tbody[data-live="messages"] b')).toHaveLength(0);
    await live(page);
    // The live regions are written with the same escaping.
    await page.waitForFunction(() => document.body.hasAttribute('data-updated'), { timeout: 20_000 });
    expect(await text(page, 'tbody[data-live="messages"] pre.body')).toBe(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Looking received nothing.
    expect(await text(page, 'td[data-field="visible"], dd[data-field="visible"]')).toBe('1');
    const [stats] = jsonLines<{ receiveCounts: Record<string, number> }>(await mq('--json', 'stats', 'hostile'));
    expect(stats!.receiveCounts).toEqual({ 0: 1 });
    await screenshot(page, 'queue');
    await page.close();
  });

  it('sends a message from the queue page', async () => {
    const { page } = await open('/queues/live');
    await page.type('textarea[name="body"]', 'from the browser');
    await page.type('textarea[name="attributes"]', 'origin=console');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/queues/live/messages"] button[type="submit"]')]);
    expect(await text(page, '.notice.ok')).toMatch(/^Sent message [0-9A-Z]{26}\.$/);
    const bodies = jsonLines<{ body: string; attributes: Record<string, string> }>(await mq('--json', 'peek', 'live', '-n', '10'));
    expect(bodies).toContainEqual(expect.objectContaining({ body: 'from the browser', attributes: { origin: 'console' } }));
    await page.close();
  });

  it('asks before purging, naming the queue, and then empties it', async () => {
    const { page } = await open('/queues/purge-me');
    await Promise.all([page.waitForNavigation(), page.click('a.danger')]);
    expect(await text(page, 'h1')).toBe('Purge queue purge-me?');
    await screenshot(page, 'purge-confirmation');
    // The wrong name purges nothing.
    await page.type('input[name="confirm"]', 'purge-m');
    await Promise.all([page.waitForNavigation(), page.click('button.danger')]);
    expect(await text(page, '.notice.error')).toBe('Not purged: type purge-me exactly to confirm.');
    expect(jsonLines<{ visible: number }>(await mq('--json', 'stats', 'purge-me'))[0]!.visible).toBe(3);
    await page.type('input[name="confirm"]', 'purge-me');
    await Promise.all([page.waitForNavigation(), page.click('button.danger')]);
    expect(new URL(page.url()).pathname).toBe('/queues/purge-me');
    expect(await text(page, '.notice.ok')).toBe('Purged 3 messages.');
    expect(await text(page, 'dd[data-field="visible"]')).toBe('0');
    expect(jsonLines<{ visible: number }>(await mq('--json', 'stats', 'purge-me'))[0]!.visible).toBe(0);
    await page.close();
  });

  it('shows where dead letters came from and redrives them back, with progress', async () => {
    const { page } = await open('/queues/jobs-dead');
    expect(await page.$$eval('tbody[data-live="messages"] tr', (rows) => rows.length)).toBe(2);
    expect(await text(page, '#sources + .scroll tbody')).toContain('jobs');
    await screenshot(page, 'dead-letter-queue');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/queues/jobs-dead/redrive"] button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/queues/jobs-dead/redrive');
    await page.waitForSelector('[data-state="done"]', { timeout: 20_000 });
    expect(await text(page, '[data-state="done"]')).toMatch(/^Done: moved 2 messages/);
    expect(await page.$eval('progress', (bar) => [(bar as HTMLProgressElement).value, (bar as HTMLProgressElement).max])).toEqual([2, 2]);
    await screenshot(page, 'redrive');
    const visible = async (queue: string) => jsonLines<{ visible: number }>(await mq('--json', 'stats', queue))[0]!.visible;
    expect([await visible('jobs'), await visible('jobs-dead')]).toEqual([2, 0]);
    await page.close();
  });

  it('shows the shard map and the lineage after mq split, and the groups\' lag', async () => {
    await mq('split', 'events', '0');
    const { page } = await open('/streams/events');
    const lineage = await page.$eval('svg.lineage', (svg) => ({ label: svg.getAttribute('aria-label'), edges: svg.querySelectorAll('path').length, boxes: svg.querySelectorAll('g.open, g.closed').length }));
    expect(lineage).toEqual({ label: 'Shard lineage: shard 2 from shard 0; shard 3 from shard 0', edges: 2, boxes: 4 });
    expect(await page.$$eval('ul.legend li', (items) => items.map((item) => item.textContent?.trim()))).toEqual(['shard 2: 25.0%', 'shard 3: 25.0%', 'shard 1: 50.0%']);
    expect(await page.$$eval('tbody[data-live="groups"] tr', (rows) => rows.map((row) => row.getAttribute('data-shard')))).toContain('shardId-000000000000');
    await screenshot(page, 'stream');
    await page.close();
  });

  it('tails a shard live', async () => {
    const { page } = await open('/streams/events/shards/shardId-000000000001');
    await live(page);
    await runMq(['put', 'events', '--explicit-hash-key', String(2n ** 127n + 5n)], { home, input: 'tailed <record>\n' });
    await page.waitForFunction(() => [...document.querySelectorAll('ol.tail pre')].some((pre) => pre.textContent === 'tailed <record>'), { timeout: 20_000 });
    await screenshot(page, 'shard-tail');
    await page.close();
  });

  it('works with JavaScript off: every read-only page is there on first load', async () => {
    for (const [urlPath, selector, expected] of [
      ['/', 'tr[data-queue="hostile"] td[data-field="visible"]', '1'],
      ['/queues/hostile', 'tbody[data-live="messages"] pre.body', HOSTILE],
      ['/streams/events', 'svg.lineage g.open:last-of-type text', 'shard 3'],
      ['/streams/events/shards/shardId-000000000000', 'ol.tail li pre', 'one'],
    ] as const) {
      const { page } = await open(urlPath, { javaScript: false });
      expect([urlPath, await text(page, selector)]).toEqual([urlPath, expected]);
      expect(await text(page, '#live-status')).toBe('');
      await page.close();
    }
  });

  it('fits a phone\'s screen: nothing but the tables scrolls sideways', async () => {
    for (const [urlPath, name] of [['/', 'overview-phone'], ['/queues/jobs', 'queue-phone'], ['/streams/events', 'stream-phone']] as const) {
      const { page } = await open(urlPath, { phone: true });
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect([urlPath, widths.page]).toEqual([urlPath, widths.screen]);
      await screenshot(page, name);
      await page.close();
    }
  });

  it('has no serious accessibility violations (axe-core) on any page', async () => {
    for (const urlPath of ['/', '/queues/hostile', '/queues/jobs-dead', '/queues/purge-me/purge', '/queues/jobs-dead/redrive', '/streams/events', '/streams/events/shards/shardId-000000000000', '/nowhere']) {
      const page = await chromium.browser.newPage();
      // The page's policy allows only its own script; axe is the test's.
      await page.setBypassCSP(true);
      await page.goto(new URL(urlPath, server.url).href, { waitUntil: 'load' });
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const results = await axe.run(document);
        return results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
      });
      expect([urlPath, violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')]).toEqual([urlPath, []]);
      await page.close();
    }
  });
});
