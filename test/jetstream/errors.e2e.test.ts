// Errors of the JetStream backend through the built CLI: one line on stderr (the code in --json), the
// documented exit status, the URL shown without credentials. Servers with JetStream off, with a password,
// with a tiny store, and a cluster that loses its quorum are started here; the rest uses the shared one.
import { afterAll, describe, expect, it } from 'vitest';
import { type NatsCluster, startCluster } from '../helpers/nats-cluster.js';
import { describeRun, expectRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import { NATS_URL, dropNamespace, freshNamespace } from './fixture.js';

const clusters: NatsCluster[] = [];
afterAll(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop();
});

async function server(options: Parameters<typeof startCluster>[0]): Promise<NatsCluster> {
  const cluster = await startCluster(options);
  clusters.push(cluster);
  return cluster;
}

function mqAt(url: string, namespace = freshNamespace()) {
  const home = tempHome();
  return (args: string[], input?: string) => runMq(args, { home, env: { MQ_URL: url, MQ_NAMESPACE: namespace }, ...(input !== undefined ? { input } : {}), timeoutMs: 90_000 });
}

describe('JetStream errors through the CLI', () => {
  it('refuses a bad URL, and --url with --home, as usage errors (exit 2)', async () => {
    const home = tempHome();
    expectRun(await runMq(['--url', 'nats://me:secret@h1:4222/path', 'ls'], { home }), 2, '', /^mq: invalid NATS URL "nats:\/\/h1:4222\/path": expected host:port/);
    expectRun(await runMq(['--url', 'http://h1', 'ls'], { home }), 2, '', /^mq: no backend for http:\/\/ URLs/);
    expectRun(await runMq(['--url', 'nats://h1', '--home', home, 'ls'], { home }), 2, '', 'mq: --url and --home name two stores: give one\n');
    const json = await runMq(['--json', '--url', 'nats://h1:4222/x', 'ls'], { home });
    expect(jsonLines(json.stderr)[0]).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });

  it('reports a server without JetStream, and refused credentials, as STORE_REFUSED (exit 1), without the password', async () => {
    const plain = await server({ nodes: 1, jetstream: false });
    expectRun(await mqAt(plain.url)(['ls']), 1, '', /^mq: JetStream is not enabled on the NATS server at nats:\/\/127\.0\.0\.1:\d+ /);
    const guarded = await server({ nodes: 1, auth: { user: 'app', password: 's3cret' } });
    const wrong = guarded.url.replace('s3cret', 'guess');
    const refused = await mqAt(wrong)(['--json', 'ls']);
    expect(refused.exitCode, describeRun(refused)).toBe(1);
    // The store the error names (the JSON field every error of a command that opened a store has) is the
    // URL without its credentials.
    expect(jsonLines(refused.stderr)).toEqual([{
      error: { code: 'STORE_REFUSED', message: expect.stringMatching(/refused access: Authorization Violation/), store: expect.stringMatching(/^nats:\/\/127\.0\.0\.1:\d+$/) },
    }]);
    expect(refused.stderr).not.toMatch(/guess|app:/);
    // The right password works, on a single server (streams of one replica: error 10074 answers R3).
    const ok = mqAt(guarded.url);
    expectRun(await ok(['create', 'jobs']), 0, '');
    expectRun(await ok(['send', 'jobs', 'hello']), 0, /^[0-9A-Z]{26}\n$/);
    expectRun(await ok(['receive', 'jobs', '--body']), 0, 'hello\n');
  });

  it('refuses a message or record over the server\'s max_payload (exit 2, naming max_payload)', async () => {
    const single = await server({ nodes: 1, maxPayload: 1024 * 1024 });
    const mq = mqAt(single.url);
    expectRun(await mq(['create', 'jobs']), 0);
    expectRun(await mq(['send', 'jobs', '--whole'], 'x'.repeat(1024 * 1024 - 20)), 2, '', /^mq: message is \d+ bytes with its headers, more than the NATS server's max_payload of 1048576 bytes/);
    expectRun(await mq(['create-stream', 'ev', '--max-record-size', '10MiB']), 0);
    const put = await mq(['--json', 'put', 'ev', '--partition-key', 'k'], `${'y'.repeat(3 * 1024 * 1024)}\nsmall\n`);
    expect(put.exitCode, describeRun(put)).toBe(2);
    expect(put.stderr).toMatch(/record is \d+ bytes with its headers, more than the NATS server's max_payload/);
    expect(jsonLines(put.stdout)).toHaveLength(1);
  });

  it('reports a full store as STORE_REFUSED at once (exit 1), having stored exactly the ids it printed', async () => {
    const small = await server({ nodes: 1, maxFileStore: 2 * 1024 * 1024 });
    const mq = mqAt(small.url);
    expectRun(await mq(['create', 'jobs']), 0);
    const line = 'z'.repeat(100_000);
    const started = Date.now();
    const sent = await mq(['send', 'jobs'], `${Array.from({ length: 40 }, () => line).join('\n')}\n`);
    expect(sent.exitCode, describeRun(sent)).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(sent.stderr).toMatch(/^mq: the NATS cluster at nats:\/\/127\.0\.0\.1:\d+ has no room left: insufficient resources/);
    const printed = sent.stdout.trim().split('\n').filter(Boolean);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.length).toBeLessThan(40);
    const stats = jsonLines((await mq(['--json', 'stats', 'jobs'])).stdout)[0]!;
    expect(stats.visible).toBe(printed.length);
  });

  it('answers a foreign receipt with exit 2, a stale one with 4, a missing queue with 3', async () => {
    const namespace = freshNamespace();
    const mq = mqAt(NATS_URL, namespace);
    try {
      expectRun(await mq(['create', 'jobs']), 0);
      expectRun(await mq(['create', 'other']), 0);
      await mq(['send', 'other', 'x']);
      const [foreign] = jsonLines<{ receipt: string }>((await mq(['--json', 'receive', 'other'])).stdout);
      expectRun(await mq(['ack', 'jobs', foreign!.receipt]), 2, '', /the receipt was not issued by queue "jobs"/);
      expectRun(await mq(['ack', 'jobs', 'junk']), 2, '', /malformed receipt/);
      expectRun(await mq(['ack', 'other', foreign!.receipt]), 0, '');
      expectRun(await mq(['ack', 'other', foreign!.receipt]), 4, '', /no longer valid/);
      expectRun(await mq(['send', 'nope', 'x']), 3, '', /queue "nope" does not exist/);
      expectRun(await mq(['tail', 'nope']), 3, '', /stream "nope" does not exist/);
    } finally {
      await dropNamespace(NATS_URL, namespace);
    }
  });

  it('reports a cluster without a quorum as UNAVAILABLE (exit 1) after 30 s, and works again once it has one', async () => {
    const cluster = await server({ nodes: 3 });
    const mq = mqAt(cluster.url);
    expectRun(await mq(['create', 'jobs']), 0);
    await cluster.kill(cluster.nodes[1]!);
    await cluster.kill(cluster.nodes[2]!);
    const started = Date.now();
    const sent = await mq(['send', 'jobs', 'lost?']);
    const took = Date.now() - started;
    expect(sent.exitCode, describeRun(sent)).toBe(1);
    expect(sent.stdout).toBe('');
    expect(sent.stderr).toMatch(/^mq: the NATS cluster at nats:\/\/127\.0\.0\.1:\d+,nats:\/\/127\.0\.0\.1:\d+,nats:\/\/127\.0\.0\.1:\d+ is unavailable: /);
    expect(took).toBeGreaterThanOrEqual(29_000);
    expect(took).toBeLessThan(75_000);
    await cluster.restart(cluster.nodes[1]!);
    await cluster.restart(cluster.nodes[2]!);
    // Not /healthz: on 2.9.10 a restarted node may call an idle R3 consumer "not current" for minutes.
    const deadline = Date.now() + 120_000;
    while (!(await cluster.metaLeader())) {
      if (Date.now() > deadline) throw new Error('no meta leader 120 s after the restart');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const again = await mq(['send', 'jobs', 'back']);
    expect(again.exitCode, describeRun(again)).toBe(0);
    expectRun(await mq(['receive', 'jobs', '-n', '10', '--body', '--wait', '5s']), 0, /back\n/);
  }, 240_000);
});
