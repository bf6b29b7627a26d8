// The queue commands through the built binary, as a shell script would run them: output, exit codes,
// error lines, stdin handling, and that bad input writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeRun, expectRun, jsonLines, runMq, spawnMq, waitUntilCatching } from '../helpers/run-mq.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

let home: string;
const mq = (args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) => runMq(args, { home, ...options });


beforeEach(() => {
  home = tempHome();
});

describe('mq queue commands', () => {
  it('runs the quick start: create, send from stdin, receive with receipts, ack', async () => {
    expectRun(await mq(['create', 'jobs']), 0, '');
    const sent = await mq(['send', 'jobs'], { input: 'one\ntwo\nthree\n' });
    expectRun(sent, 0, /^([0-9A-Z]{26}\n){3}$/);
    const received = await mq(['receive', 'jobs', '-n', '2']);
    expectRun(received, 0);
    const messages = jsonLines(received.stdout);
    expect(messages.map((m) => m.body)).toEqual(['one', 'two']);
    expect(messages[0]).toEqual({
      id: sent.stdout.split('\n')[0], receipt: expect.any(String), body: 'one', receiveCount: 1,
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), firstReceivedAt: expect.stringMatching(/Z$/), attributes: {},
    });
    expectRun(await mq(['ack', 'jobs', ...messages.map((m) => String(m.receipt))]), 0, '', '');
    const stats = jsonLines((await mq(['stats', 'jobs', '--json'])).stdout)[0];
    expect(stats).toMatchObject({ name: 'jobs', type: 'standard', visible: 1, inFlight: 0, delayed: 0, oldestAgeSeconds: expect.any(Number) });
  });

  it('takes global options before or after the command', async () => {
    const elsewhere = tempHome();
    expectRun(await runMq(['--home', elsewhere, 'create', 'a'], { home }), 0);
    expectRun(await runMq(['create', 'b', '--home', elsewhere], { home }), 0);
    expectRun(await runMq(['ls', '--json', '--home', elsewhere], { home }), 0, /"name":"a".*\n.*"name":"b"/);
    expect(listTree(home)).toEqual([]);
  });

  it('sends arguments, whole stdin, NUL-separated stdin, delays and attributes', async () => {
    await mq(['create', 'jobs']);
    expectRun(await mq(['send', 'jobs', 'a b', 'c', '--attr', 'kind=x', '--attr', 'n=1']), 0, /^[0-9A-Z]{26}\n[0-9A-Z]{26}\n$/);
    expectRun(await mq(['send', 'jobs', '--whole'], { input: 'line 1\nline 2\n' }), 0);
    expectRun(await mq(['send', 'jobs', '-0'], { input: 'x\ny\0z\0' }), 0, /^([0-9A-Z]{26}\n){2}$/);
    expectRun(await mq(['send', 'jobs', 'later', '--delay', '10m']), 0);
    const messages = jsonLines((await mq(['receive', 'jobs', '-n', '10'])).stdout);
    expect(messages.map((m) => [m.body, m.attributes])).toEqual([
      ['a b', { kind: 'x', n: '1' }], ['c', { kind: 'x', n: '1' }], ['line 1\nline 2\n', {}], ['x\ny', {}], ['z', {}],
    ]);
    expect(jsonLines((await mq(['stats', 'jobs', '--json'])).stdout)[0]).toMatchObject({ delayed: 1, inFlight: 5 });
  });

  it('prints JSON send results with the MD5 of the body', async () => {
    await mq(['create', 'jobs']);
    const result = await mq(['send', 'jobs', 'My first message.', '--json']);
    expect(jsonLines(result.stdout)).toEqual([{ id: expect.any(String), md5: '01cdf1b34e8351b604422a26270c2c5f' }]);
  });

  it('receives bodies only, deletes on receipt, and prints nothing when the queue is empty', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs'], { input: 'a\nb\n' });
    expectRun(await mq(['receive', 'jobs', '-n', '5', '--delete', '--body']), 0, 'a\nb\n');
    expectRun(await mq(['receive', 'jobs']), 0, '', '');
    expect(jsonLines((await mq(['stats', 'jobs', '--json'])).stdout)[0]).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('acks receipts from stdin, JSON lines from receive included, and reports a stale one with exit 4', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs'], { input: 'a\nb\nc\n' });
    const received = (await mq(['receive', 'jobs', '-n', '3'])).stdout;
    const [first, ...rest] = received.trim().split('\n');
    const firstReceipt = String(JSON.parse(first!).receipt);
    expectRun(await mq(['ack', 'jobs'], { input: `${firstReceipt}\n${rest.join('\n')}\n` }), 0, '', '');
    expectRun(await mq(['ack', 'jobs', firstReceipt]), 4, '', /^mq: receipt is no longer valid.*\n$/);
    expectRun(await mq(['ack', 'jobs', 'bogus']), 2, '', /^mq: invalid receipt "bogus": not a receipt issued by mq\n$/);
  });

  it('nacks and extends', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'a']);
    const [message] = jsonLines((await mq(['receive', 'jobs'])).stdout);
    expectRun(await mq(['extend', 'jobs', String(message!.receipt), '1h']), 0, '', '');
    expectRun(await mq(['receive', 'jobs']), 0, '');
    expectRun(await mq(['nack', 'jobs', String(message!.receipt)]), 0, '', '');
    expect(jsonLines((await mq(['receive', 'jobs'])).stdout)[0]).toMatchObject({ body: 'a', receiveCount: 2 });
    expectRun(await mq(['nack', 'jobs', String(message!.receipt)]), 4, '', /not in flight/);
  });

  it('peeks, lists, sets, purges and removes', async () => {
    await mq(['create', 'jobs']);
    await mq(['create', 'dead']);
    await mq(['send', 'jobs'], { input: 'a\nb\n' });
    expect(jsonLines((await mq(['peek', 'jobs', '-n', '5'])).stdout).map((m) => [m.body, m.state, m.receiveCount])).toEqual([
      ['a', 'visible', 0], ['b', 'visible', 0],
    ]);
    expectRun(await mq(['set', 'jobs', '--visibility-timeout', '2m', '--dlq', 'dead', '--max-receives', '3']), 0, '');
    const text = await mq(['ls']);
    expectRun(text, 0, /^NAME +TYPE +VISIBLE +IN FLIGHT +DELAYED +OLDEST +DEAD LETTERS TO\ndead +standard +0 +0 +0 +- +-\njobs +standard +2 +0 +0 +\d+s +dead\n$/);
    const stats = jsonLines((await mq(['stats', 'jobs', '--json'])).stdout)[0];
    expect(stats).toMatchObject({ visibilityTimeoutSeconds: 120, dlq: { name: 'dead', maxReceives: 3, depth: 0 } });
    expectRun(await mq(['stats', 'jobs']), 0, /visible: +2\n[^]*dead letters: +dead after 3 receives \(0 messages\)/);
    expectRun(await mq(['purge', 'jobs', '--json']), 0, '{"name":"jobs","purged":2}\n');
    expectRun(await mq(['rm', 'jobs', 'dead']), 0, '', '');
    expectRun(await mq(['ls', '--json']), 0, '');
  });

  it('creates idempotently and exits 4 on conflicting attributes', async () => {
    expectRun(await mq(['create', 'jobs', '--retention', '1d']), 0);
    expectRun(await mq(['create', 'jobs', '--retention', '1d']), 0);
    expectRun(await mq(['create', 'jobs', '--retention', '2d']), 4, '', 'mq: queue "jobs" exists with different attributes: --retention is 1d, not 2d\n');
    expectRun(await mq(['create', 'jobs', '--json']), 0, /"created":false/);
  });

  it('long-polls and wakes within a fraction of a second of a send from another process', async () => {
    await mq(['create', 'jobs']);
    const started = Date.now();
    const receiver = spawnMq(['receive', 'jobs', '--wait', '15s', '--body'], { home });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await mq(['send', 'jobs', 'wake']);
    const sentAt = Date.now();
    const result = await receiver;
    expect(String(result.stdout)).toBe('wake\n');
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('exits 130 when a long poll is interrupted', async () => {
    await mq(['create', 'jobs']);
    const receiver = spawnMq(['receive', 'jobs', '--wait', '15s'], { home });
    // Not a fixed sleep: on a busy machine the process may not have reached its long poll yet.
    await waitUntilCatching(receiver.pid!, 'SIGINT');
    receiver.kill('SIGINT');
    const result = await receiver;
    expect(result.exitCode).toBe(130);
    expect(String(result.stdout)).toBe('');
  });
});

describe('mq with bad input', () => {
  const queueFiles = () => listTree(path.join(home, 'queues')).filter((p) => /\.[0-9]+\.\d{13}$/.test(p));

  it.each([
    ['../x'], ['a/b'], ['x'.repeat(81)], ['has space'], ['.hidden'],
  ])('refuses the queue name %j with exit 2 and creates nothing', async (name) => {
    const result = await mq(['create', name]);
    expectRun(result, 2, '', /^mq: invalid queue name .*\n$/);
    expect(fs.existsSync(path.join(home, 'queues'))).toBe(false);
    expect(fs.existsSync(path.resolve(home, '..', 'x'))).toBe(false);
  });

  it('refuses an oversize body with exit 2 and stores nothing', async () => {
    await mq(['create', 'jobs', '--max-size', '1KiB']);
    expectRun(await mq(['send', 'jobs', 'x'.repeat(1025)]), 2, '', /^mq: message is 1025 bytes, more than the queue's maximum of 1024 bytes\n$/);
    expectRun(await mq(['send', 'jobs', 'ok', 'x'.repeat(2000)]), 2, '', /^mq: message 2: message is 2000 bytes/);
    expect(queueFiles()).toEqual([]);
  });

  it('refuses invalid characters and invalid UTF-8, storing the other stdin lines and exiting 2', async () => {
    await mq(['create', 'jobs']);
    const input = Buffer.concat([Buffer.from('good 1\nbad \u0001\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('\ngood 2\n')]);
    const result = await mq(['send', 'jobs'], { input });
    expect(result.exitCode, describeRun(result)).toBe(2);
    expect(result.stdout).toMatch(/^[0-9A-Z]{26}\n[0-9A-Z]{26}\n$/);
    expect(result.stderr.split('\n').filter(Boolean).sort()).toEqual([
      'mq: line 2: message body contains an invalid character U+0001 at offset 4',
      'mq: line 3: not valid UTF-8',
      'mq: line 4: message body is empty',
    ]);
    expect(jsonLines((await mq(['receive', 'jobs', '-n', '10'])).stdout).map((m) => m.body)).toEqual(['good 1', 'good 2']);
  });

  it.each([
    [['receive', 'jobs', '--wait', 'soon'], /^mq: option '--wait <duration>' argument 'soon' is invalid\. invalid duration "soon"/],
    [['receive', 'jobs', '-n', '0'], /count must be between 1 and 10000/],
    [['receive', 'jobs', '--wait', '21s'], /receive wait must be between 0s and 20s/],
    [['create', 'jobs', '--visibility-timeout', '13h'], /visibility timeout must be between 0s and 12h/],
    [['receive', 'jobs', '--frobnicate'], /^mq: unknown option '--frobnicate'/],
    [['frobnicate'], /^mq: unknown command 'frobnicate'/],
    [['send', 'jobs', 'x', '--attr', 'novalue'], /expected KEY=VALUE/],
    [['send', 'jobs', 'x', '--attr', 'AWS.k=v'], /names starting with AWS\. or Amazon\. are reserved/],
    [['send', 'jobs', 'x', '--delay', '16m'], /delay must be between 0s and 15m/],
  ])('gives %j a one-line error and exit 2', async (args, message) => {
    await mq(['create', 'jobs']);
    const result = await mq(args);
    expectRun(result, 2, '', message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(queueFiles()).toEqual([]);
  });

  it('exits 3 for a queue that does not exist, with a JSON error line under --json', async () => {
    expectRun(await mq(['receive', 'nope']), 3, '', `mq: queue "nope" does not exist in ${home}\n`);
    expectRun(await mq(['send', 'nope', 'x', '--json']), 3, '', `${JSON.stringify({ error: { code: 'QUEUE_NOT_FOUND', message: `queue "nope" does not exist in ${home}`, store: home } })}\n`);
  });

  it('sends nothing and succeeds when stdin is empty', async () => {
    await mq(['create', 'jobs']);
    const result = await runMq(['send', 'jobs'], { home, env: {} });
    expectRun(result, 0, '');
  });

  it('prints help with examples for mq, mq help COMMAND and COMMAND --help, and the version', async () => {
    expectRun(await mq([]), 0, /Usage: mq[^]*Examples:[^]*seq 1000 \| mq send jobs/);
    expectRun(await mq(['help', 'send']), 0, /Usage: mq send[^]*Examples:/);
    expectRun(await mq(['receive', '--help']), 0, /--visibility-timeout <duration>[^]*Examples:/);
    expectRun(await mq(['--version']), 0, /^\d+\.\d+\.\d+\n$/);
  });
});

describe('mq FIFO queues, dead letters and redrive', () => {
  it('sends with a group, prints the original id for a duplicate, and receives group, dedupId and sequence', async () => {
    expectRun(await mq(['create', 'orders.fifo']), 0);
    const first = await mq(['send', 'orders.fifo', '--group', 'c42', '--dedup-id', 'o-1', 'first', '--json']);
    const again = await mq(['send', 'orders.fifo', '--group', 'c42', '--dedup-id', 'o-1', 'again', '--json']);
    const [sent] = jsonLines(first.stdout);
    expect(sent).toEqual({ id: expect.any(String), md5: expect.any(String), sequence: '00000000000000000001' });
    expect(jsonLines(again.stdout)).toEqual([{ ...sent, md5: expect.any(String), duplicate: true }]);
    expect(jsonLines((await mq(['receive', 'orders.fifo', '-n', '5'])).stdout)).toEqual([
      expect.objectContaining({ id: sent!.id, body: 'first', group: 'c42', dedupId: 'o-1', sequence: '00000000000000000001' }),
    ]);
  });

  it('refuses a FIFO send without a group or a dedup id, with exit 2 and nothing stored', async () => {
    await mq(['create', 'orders.fifo']);
    expectRun(await mq(['send', 'orders.fifo', 'x']), 2, '', /needs a message group \(--group\)/);
    expectRun(await mq(['send', 'orders.fifo', 'x', '--group', 'g']), 2, '', /needs a deduplication id \(--dedup-id\), or content-based deduplication/);
    expectRun(await mq(['send', 'orders.fifo', 'x', '--group', 'g', '--dedup-id', 'd', '--delay', '5s']), 2, '', /no per-message delay/);
    expect(jsonLines((await mq(['stats', 'orders.fifo', '--json'])).stdout)[0]).toMatchObject({ type: 'fifo', visible: 0, contentDedup: false });
  });

  it('sends stdin lines to a FIFO queue with content dedup, in order', async () => {
    await mq(['create', 'events.fifo', '--content-dedup', '--dedup-scope', 'group']);
    expectRun(await mq(['send', 'events.fifo', '--group', 'g'], { input: 'a\nb\na\nc\n' }), 0, /^([0-9A-Z]{26}\n){4}$/);
    expectRun(await mq(['receive', 'events.fifo', '-n', '10', '--body']), 0, 'a\nb\nc\n');
  });

  it('dead-letters, shows the relation in ls and stats, and redrives with a summary', async () => {
    await mq(['create', 'dead']);
    await mq(['create', 'jobs', '--dlq', 'dead', '--max-receives', '1', '--visibility-timeout', '0s']);
    await mq(['send', 'jobs'], { input: 'a\nb\n' });
    expectRun(await mq(['receive', 'jobs', '-n', '5', '--body']), 0, 'a\nb\n');
    expectRun(await mq(['receive', 'jobs', '-n', '5']), 0, '');
    expect(jsonLines((await mq(['peek', 'dead', '-n', '5'])).stdout).map((m) => [m.body, m.deadLetterSource])).toEqual([['a', 'jobs'], ['b', 'jobs']]);
    expectRun(await mq(['stats', 'dead']), 0, /dead letters of: +jobs/);
    expectRun(await mq(['redrive', 'dead', '--max', '1']), 0, '', 'mq: moved 1 message from dead: 1 to jobs\n');
    expectRun(await mq(['redrive', 'dead', '--json']), 0, '{"name":"dead","moved":1,"movedTo":{"jobs":1},"skipped":0}\n', 'mq: moved 1 message from dead: 1 to jobs\n');
    expectRun(await mq(['redrive', 'jobs']), 3, '', /is not a dead-letter queue of any queue/);
    expectRun(await mq(['redrive', 'dead', '--rate', 'fast']), 2, '', /expected a rate such as 50\/s/);
  });

  it('refuses a dead-letter queue of the other type, or one that does not exist', async () => {
    await mq(['create', 'dead.fifo']);
    expectRun(await mq(['create', 'jobs', '--dlq', 'dead.fifo', '--max-receives', '3']), 2, '', /must be a standard queue/);
    expectRun(await mq(['create', 'jobs', '--dlq', 'nowhere', '--max-receives', '3']), 3, '', `mq: queue "nowhere" does not exist in ${home}\n`);
    expectRun(await mq(['create', 'jobs', '--dlq', 'dead.fifo']), 2, '', /--dlq and --max-receives go together/);
    expectRun(await mq(['ls', '--json']), 0, /"name":"dead.fifo"/);
  });
});
