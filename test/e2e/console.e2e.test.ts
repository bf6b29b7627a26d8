// mq console through the built binary: the address on stdout, /metrics agreeing with `mq stats --json`,
// `mq shards --json` and `mq groups --json`, the listen rule, the access log, stopping on a signal, and a
// one-shot `mq send` that loads none of it.
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleProcess, startMqConsole } from '../helpers/mq-console.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { describeRun, expectRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import path from 'node:path';

let consoles: ConsoleProcess[] = [];

afterEach(async () => {
  for (const running of consoles.splice(0)) await running.stop();
});

async function start(home: string, args: string[] = [], env: Record<string, string> = {}): Promise<ConsoleProcess> {
  const running = await startMqConsole(home, args, env);
  consoles.push(running);
  return running;
}

describe('mq console', () => {
  it('prints its address, and serves /metrics that agree with mq stats, shards and groups', async () => {
    const home = tempHome();
    const mq = (...args: string[]) => runMq(args, { home });
    expectRun(await mq('create', 'jobs-dead'), 0);
    expectRun(await mq('create', 'jobs', '--dlq', 'jobs-dead', '--max-receives', '2'), 0);
    expectRun(await mq('create', 'orders.fifo', '--content-dedup'), 0);
    await mq('send', 'jobs', 'a', 'b', 'c', 'd');
    await mq('send', 'jobs', 'later', '--delay', '10m');
    await mq('send', 'jobs-dead', 'x');
    await mq('send', 'orders.fifo', '--group', 'g', 'o1', 'o2');
    await mq('receive', 'jobs', '-n', '2');
    await mq('create-stream', 'events', '--shards', '2');
    await runMq(['put', 'events'], { home, input: 'one\ntwo\nthree\n' });
    await mq('tail', 'events', '--group', 'billing', '-n', '1');
    await mq('split', 'events', '0');
    const running = await start(home);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(running.stderr()).toMatch(/^mq: console on http:\/\/127\.0\.0\.1:\d+\/ over .+; Ctrl-C stops it\n$/);

    const scrapedAt = Date.now();
    const answer = await fetch(new URL('/metrics', running.url));
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(await answer.text());
    const stats = [];
    for (const name of ['jobs', 'jobs-dead', 'orders.fifo']) {
      const result = await mq('--json', 'stats', name);
      expect(result.exitCode, describeRun(result)).toBe(0);
      stats.push(...jsonLines<{ name: string; visible: number; inFlight: number; delayed: number; oldestAgeSeconds: number | null; dlq?: { name: string; depth: number } }>(result.stdout));
    }
    const statsDoneAt = Date.now();
    expect(stats.map((queue) => [queue.name, queue.visible, queue.inFlight, queue.delayed])).toEqual([['jobs', 2, 2, 1], ['jobs-dead', 1, 0, 0], ['orders.fifo', 2, 0, 0]]);
    for (const queue of stats) {
      expect(sampleValue(families, 'mq_queue_messages', { queue: queue.name, state: 'visible' })).toBe(queue.visible);
      expect(sampleValue(families, 'mq_queue_messages', { queue: queue.name, state: 'in_flight' })).toBe(queue.inFlight);
      expect(sampleValue(families, 'mq_queue_messages', { queue: queue.name, state: 'delayed' })).toBe(queue.delayed);
      const age = sampleValue(families, 'mq_queue_oldest_message_age_seconds', { queue: queue.name })!;
      // stats rounds down to whole seconds, and ran later: by at most the time between the scrape and its end.
      expect(queue.oldestAgeSeconds! - age, queue.name).toBeLessThanOrEqual((statsDoneAt - scrapedAt) / 1000);
      expect(queue.oldestAgeSeconds! - age, queue.name).toBeGreaterThan(-1);
      if (queue.dlq) expect(sampleValue(families, 'mq_queue_dead_letter_messages', { queue: queue.name, dead_letter_queue: queue.dlq.name })).toBe(queue.dlq.depth);
    }
    expect(sampleValue(families, 'mq_queue_dead_letter_messages', { queue: 'jobs', dead_letter_queue: 'jobs-dead' })).toBe(1);
    const shards = jsonLines<{ shardId: string; state: string; records: number; bytes: number }>((await mq('--json', 'shards', 'events')).stdout);
    expect(sampleValue(families, 'mq_stream_shards', { stream: 'events', state: 'open' })).toBe(shards.filter((s) => s.state === 'open').length);
    expect(sampleValue(families, 'mq_stream_shards', { stream: 'events', state: 'closed' })).toBe(1);
    for (const shard of shards) {
      expect(sampleValue(families, 'mq_stream_shard_records', { stream: 'events', shard: shard.shardId })).toBe(shard.records);
      expect(sampleValue(families, 'mq_stream_shard_bytes', { stream: 'events', shard: shard.shardId })).toBe(shard.bytes);
    }
    const groups = jsonLines<{ group: string; shardId: string; lagRecords: number; lagMs: number }>((await mq('--json', 'groups', 'events')).stdout);
    expect(groups.length).toBeGreaterThan(0);
    for (const lag of groups) {
      const labels = { stream: 'events', group: lag.group, shard: lag.shardId };
      expect(sampleValue(families, 'mq_stream_group_lag_records', labels)).toBe(lag.lagRecords);
    }
  });

  it('stops on SIGTERM and on Ctrl-C with exit 0', async () => {
    const home = tempHome();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const running = await startMqConsole(home);
      expect(await running.stop(signal)).toBe(0);
    }
  });

  it('writes an access log line per request with --log (NDJSON with --json)', async () => {
    const home = tempHome();
    const running = await start(home, ['--log', '--json']);
    expect((await fetch(new URL('/nowhere', running.url))).status).toBe(404);
    expect((await fetch(new URL('/', running.url))).status).toBe(200);
    const deadline = Date.now() + 20_000;
    while (running.stderr().split('\n').filter((line) => line.startsWith('{')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const entries = running.stderr().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(entries).toEqual([
      expect.objectContaining({ method: 'GET', path: '/nowhere', status: 404, action: 'console:not_found', remote: '127.0.0.1' }),
      expect.objectContaining({ method: 'GET', path: '/', status: 200, action: 'console:overview' }),
    ]);
  });

  it('refuses to listen beyond loopback without credentials, and half of them', async () => {
    const home = tempHome();
    expectRun(await runMq(['console', '--host', '0.0.0.0', '--port', '0'], { home }), 2, '', 'mq: mq console on 0.0.0.0 needs credentials (--access-key and --secret-key): without them it listens on loopback only\n');
    expectRun(await runMq(['console', '--port', '0', '--access-key', 'ops'], { home }), 2, '', /^mq: give both an access key and a secret key/);
  });

  it('says so when its port is taken', async () => {
    const home = tempHome();
    const running = await start(home);
    const port = new URL(running.url).port;
    expectRun(await runMq(['console', '--port', port], { home }), 1, '', `mq: cannot listen on 127.0.0.1:${port}: the port is in use\n`);
  });

  it('is never loaded by a one-shot mq send (no HTTP module, no console code)', async () => {
    const home = tempHome();
    await runMq(['create', 'q'], { home });
    const probe = path.resolve('test/fixtures/report-loaded-modules.cjs');
    const result = await runMq(['send', 'q', 'x'], { home, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(result.stderr).toBe('loaded: []\n');
    // The probe sees the console when it is loaded.
    const help = await runMq(['console', '--help'], { home, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(help.stderr).toMatch(/^loaded: \[.*"NativeModule http".*\]\n$/);
  });
});
