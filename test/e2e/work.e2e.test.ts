// mq work through the built binary: handlers get the body on stdin and MQ_* in their environment with no
// shell in between; success acks, failure retries (delay, backoff, dead-letter queue); visibility is
// extended while a handler runs; FIFO groups keep their order under concurrency; SIGTERM drains.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeRun, jsonLines, runMq, spawnMq, type RunResult } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

const HANDLER = path.resolve('test/fixtures/handler.mjs');
const SUMMARY = /^mq: work (\S+): (\d+) processed, (\d+) failed, (\d+) dead-lettered, (\d+) released in \d+\.\d+s \([\d.]+\/s\)(, interrupted)?$/m;

let home: string;
let logFile: string;
const env = () => ({ HANDLER_LOG: logFile });
const mq = (args: string[], input?: string) => runMq(args, { home, env: env(), ...(input !== undefined ? { input } : {}) });
const handler = (...args: string[]) => ['--', process.execPath, HANDLER, ...args];

interface LogLine {
  phase: 'start' | 'end';
  body: string;
  argv?: string[];
  env?: Record<string, string>;
  at: number;
}
const handlerLog = (): LogLine[] => (fs.existsSync(logFile) ? jsonLines<LogLine>(fs.readFileSync(logFile, 'utf8')) : []);
const starts = () => handlerLog().filter((line) => line.phase === 'start');

function summaryOf(result: RunResult): { processed: number; failed: number; deadLettered: number; released: number; interrupted: boolean } {
  const match = SUMMARY.exec(result.stderr);
  expect(match, describeRun(result)).not.toBeNull();
  return { processed: Number(match![2]), failed: Number(match![3]), deadLettered: Number(match![4]), released: Number(match![5]), interrupted: Boolean(match![6]) };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const peek = async (queue: string) => jsonLines((await mq(['peek', queue, '-n', '100'])).stdout);
const stats = async (queue: string) => jsonLines((await mq(['stats', queue, '--json'])).stdout)[0]!;

// The largest number of handlers whose [start, end] intervals overlap.
function maxOverlap(lines: LogLine[]): number {
  const events = lines.map((line) => [line.at, line.phase === 'start' ? 1 : -1] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) max = Math.max(max, (current += delta));
  return max;
}

beforeEach(() => {
  home = tempHome();
  logFile = path.join(home, 'handler.log');
});

describe('mq work', () => {
  it('runs the handler per message with the body on stdin and MQ_* set, passes its output through, and acks', async () => {
    await mq(['create', 'jobs']);
    const ids = (await mq(['send', 'jobs', 'one', 'two'])).stdout.trim().split('\n');
    const result = await mq(['work', 'jobs', '--until-empty', ...handler('echo')]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(['handled one', 'handled two']);
    expect(result.stderr).toMatch(/^note one$/m);
    expect(summaryOf(result)).toEqual({ processed: 2, failed: 0, deadLettered: 0, released: 0, interrupted: false });
    const runs = starts().sort((a, b) => a.body.localeCompare(b.body));
    expect(runs.map((run) => run.body)).toEqual(['one', 'two']);
    expect(runs[0]!.env).toEqual({
      MQ_HOME: home, MQ_QUEUE: 'jobs', MQ_MESSAGE_ID: ids[0], MQ_RECEIPT: expect.any(String), MQ_RECEIVE_COUNT: '1',
    });
    expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('never evaluates a body or an argument in a shell: both reach the handler verbatim', async () => {
    await mq(['create', 'jobs']);
    const pwned = path.join(home, 'pwned');
    const keep = path.join(home, 'keep');
    fs.writeFileSync(keep, 'x');
    const bodies = [`$(touch ${pwned})`, `; rm -rf ${keep}`, `\`touch ${pwned}\` && echo "quoted 'x'" | cat`, 'line 1\nline 2\n'];
    for (const body of bodies) await mq(['send', 'jobs', '--whole'], body);
    const args = [`$(touch ${pwned})`, '; rm -rf /', 'two words', '*'];
    const result = await mq(['work', 'jobs', '--until-empty', ...handler(...args)]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(starts().map((run) => run.body).sort()).toEqual([...bodies].sort());
    for (const run of starts()) expect(run.argv).toEqual(args);
    expect(fs.existsSync(pwned)).toBe(false);
    expect(fs.existsSync(keep)).toBe(true);
  });

  it('never evaluates a group, dedup id or attribute in a shell either: MQ_GROUP reaches the handler verbatim', async () => {
    await mq(['create', 'orders.fifo']);
    const pwned = path.join(home, 'pwned');
    const group = `$(touch${'${IFS}'}${pwned});\`id\`|'"&&>x`;
    const body = `'; touch ${pwned}; echo "$(touch ${pwned})" \`touch ${pwned}\``;
    const sent = await mq(['send', 'orders.fifo', '--group', group, '--dedup-id', `$(touch${'${IFS}'}${pwned})`, '--attr', `k=$(touch ${pwned}); \`x\``, body]);
    expect(sent.exitCode, describeRun(sent)).toBe(0);
    const result = await mq(['work', 'orders.fifo', '--until-empty', ...handler()]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(starts().map((run) => [run.body, run.env!.MQ_GROUP])).toEqual([[body, group]]);
    expect(fs.existsSync(pwned)).toBe(false);
  });

  it('gives FIFO handlers MQ_GROUP', async () => {
    await mq(['create', 'orders.fifo', '--content-dedup']);
    await mq(['send', 'orders.fifo', '--group', 'customer-42', 'order']);
    const result = await mq(['work', 'orders.fifo', '--until-empty', ...handler()]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(starts()[0]!.env).toMatchObject({ MQ_QUEUE: 'orders.fifo', MQ_GROUP: 'customer-42', MQ_RECEIVE_COUNT: '1' });
  });

  it('retries a failing message with a growing receive count until it lands in the dead-letter queue, and exits 5', async () => {
    await mq(['create', 'dead']);
    await mq(['create', 'jobs', '--dlq', 'dead', '--max-receives', '3']);
    await mq(['send', 'jobs', 'good', 'bad']);
    const result = await mq(['work', 'jobs', '--until-empty', '--retry-delay', '0s', ...handler('fail=bad')]);
    expect(result.exitCode, describeRun(result)).toBe(5);
    expect(summaryOf(result)).toEqual({ processed: 1, failed: 3, deadLettered: 1, released: 0, interrupted: false });
    expect(result.stderr).toMatch(/: handler exited with status 3; retry in 0s\n/);
    expect(result.stderr).toMatch(/: handler exited with status 3; received 3 times, it moves to the dead-letter queue\n/);
    expect(starts().filter((run) => run.body === 'bad').map((run) => run.env!.MQ_RECEIVE_COUNT)).toEqual(['1', '2', '3']);
    expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
    expect((await peek('dead')).map((m) => [m.body, m.receiveCount, m.deadLetterSource])).toEqual([['bad', 3, 'jobs']]);
  });

  it('makes a failed message visible again after the retry delay, doubled per delivery with --backoff and capped', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'bad']);
    const visibleInMinutes = async () => {
      const [message] = await peek('jobs');
      expect(message!.state).toBe('inFlight');
      return (Date.parse(String(message!.visibleAt)) - Date.now()) / 60_000;
    };
    const fail = async (...flags: string[]) => {
      const result = await mq(['work', 'jobs', '--max-messages', '1', ...flags, ...handler('fail=bad')]);
      expect(result.exitCode, describeRun(result)).toBe(5);
      return result;
    };
    // First delivery: the plain delay.
    expect((await fail('--retry-delay', '10m', '--backoff')).stderr).toMatch(/retry in 10m\n/);
    expect(await visibleInMinutes()).toBeGreaterThan(9);
    expect(await visibleInMinutes()).toBeLessThanOrEqual(10);
    // Bring it back at once and fail its second delivery: 10m x 2, capped by the default 15m; then its
    // third: 10m x 4 under a 1h cap.
    const nack = async () => {
      const result = await mq(['nack', 'jobs', starts().at(-1)!.env!.MQ_RECEIPT!]);
      expect(result.exitCode, describeRun(result)).toBe(0);
    };
    await nack();
    expect((await fail('--retry-delay', '10m', '--backoff')).stderr).toMatch(/retry in 15m\n/);
    expect(await visibleInMinutes()).toBeGreaterThan(14);
    expect(await visibleInMinutes()).toBeLessThanOrEqual(15);
    await nack();
    expect((await fail('--retry-delay', '10m', '--backoff', '--max-retry-delay', '1h')).stderr).toMatch(/retry in 40m\n/);
    expect(await visibleInMinutes()).toBeGreaterThan(39);
    expect(await visibleInMinutes()).toBeLessThanOrEqual(40);
    expect(starts().map((run) => run.env!.MQ_RECEIVE_COUNT)).toEqual(['1', '2', '3']);
  });

  it('kills a handler that exceeds --timeout and retries its message; a handler killed by a signal fails too', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'slow']);
    const result = await mq(['work', 'jobs', '--max-messages', '1', '--timeout', '1s', '--retry-delay', '1h', ...handler('sleep=30000')]);
    expect(result.exitCode, describeRun(result)).toBe(5);
    expect(result.stderr).toMatch(/handler timed out after 1s and was killed; retry in 1h\n/);
    expect(handlerLog().filter((line) => line.phase === 'end')).toEqual([]);
    expect((await peek('jobs')).map((m) => [m.state, m.receiveCount])).toEqual([['inFlight', 1]]);

    await mq(['create', 'other']);
    await mq(['send', 'other', 'boom']);
    const killed = await mq(['work', 'other', '--max-messages', '1', '--retry-delay', '1h', ...handler('kill=boom')]);
    expect(killed.exitCode, describeRun(killed)).toBe(5);
    expect(killed.stderr).toMatch(/handler was killed by SIGKILL; retry in 1h\n/);
  });

  it('on SIGTERM lets the running handler finish, acks its message, takes no other, and exits 130', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'first', 'second', 'third']);
    const worker = spawnMq(['work', 'jobs', ...handler('sleep=3000')], { home, env: env() });
    await waitFor(() => starts().length === 1, 'the first handler to start');
    worker.kill('SIGTERM');
    const result = await worker;
    const run = { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    expect(run.exitCode, describeRun(run)).toBe(130);
    expect(summaryOf(run)).toEqual({ processed: 1, failed: 0, deadLettered: 0, released: 0, interrupted: true });
    expect(handlerLog().map((line) => line.phase)).toEqual(['start', 'end']);
    const left = await peek('jobs');
    expect(left.map((m) => [m.state, m.receiveCount])).toEqual([['visible', 0], ['visible', 0]]);
    expect(left.map((m) => m.body)).not.toContain(handlerLog()[0]!.body);
  });

  it('on SIGTERM gives back the messages of a FIFO batch it has not started, in order', async () => {
    await mq(['create', 'orders.fifo', '--content-dedup']);
    await mq(['send', 'orders.fifo', '--group', 'g', 'a', 'b', 'c']);
    const worker = spawnMq(['work', 'orders.fifo', '--concurrency', '3', ...handler('sleep=3000')], { home, env: env() });
    await waitFor(() => starts().length === 1, 'the first handler to start');
    worker.kill('SIGTERM');
    const result = await worker;
    const run = { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    expect(run.exitCode, describeRun(run)).toBe(130);
    expect(summaryOf(run)).toEqual({ processed: 1, failed: 0, deadLettered: 0, released: 2, interrupted: true });
    expect(starts().map((line) => line.body)).toEqual(['a']);
    expect((await peek('orders.fifo')).map((m) => [m.body, m.state, m.receiveCount])).toEqual([['b', 'visible', 1], ['c', 'visible', 1]]);
  });

  it('extends the visibility of a handler that outlives the timeout, so a competing worker never gets its message', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'long']);
    const args = ['work', 'jobs', '--visibility-timeout', '1s', '--max-messages', '1', ...handler('sleep=3000')];
    const workers = [spawnMq(args, { home, env: env() }), spawnMq(args, { home, env: env() })];
    await waitFor(() => handlerLog().some((line) => line.phase === 'end'), 'the handler to finish', 30_000);
    // The loser keeps polling well past the visibility timeout, then is stopped.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const worker of workers) worker.kill('SIGTERM');
    const results = (await Promise.all(workers)).map((r) => ({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) }));
    expect(starts(), results.map(describeRun).join('\n')).toHaveLength(1);
    const outcomes = results.map((r) => [r.exitCode, summaryOf(r).processed]).sort();
    expect(outcomes, results.map(describeRun).join('\n')).toEqual([[0, 1], [130, 0]]);
    expect(await stats('jobs')).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('keeps each FIFO group in order, one message at a time, while running groups concurrently', async () => {
    await mq(['create', 'events.fifo', '--content-dedup']);
    const groups = ['g1', 'g2', 'g3'];
    for (const group of groups) await mq(['send', 'events.fifo', '--group', group, ...Array.from({ length: 5 }, (_, i) => `${group}-${i}`)]);
    const result = await mq(['work', 'events.fifo', '--until-empty', '--concurrency', '4', ...handler('sleep=100')]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(summaryOf(result).processed).toBe(15);
    const lines = handlerLog();
    for (const group of groups) {
      const mine = lines.filter((line) => line.body.startsWith(`${group}-`));
      // start a, end a, start b, end b, ...: in order and never two of a group at once.
      expect(mine.map((line) => `${line.phase} ${line.body}`)).toEqual(
        Array.from({ length: 5 }, (_, i) => [`start ${group}-${i}`, `end ${group}-${i}`]).flat(),
      );
    }
    expect(maxOverlap(lines)).toBeGreaterThanOrEqual(2);
    expect(maxOverlap(lines)).toBeLessThanOrEqual(3);
  });

  it('runs at most --concurrency handlers at once on a standard queue', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', ...Array.from({ length: 8 }, (_, i) => `m${i}`)]);
    const result = await mq(['work', 'jobs', '--until-empty', '--concurrency', '3', ...handler('sleep=200')]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(summaryOf(result).processed).toBe(8);
    expect(maxOverlap(handlerLog())).toBeGreaterThanOrEqual(2);
    expect(maxOverlap(handlerLog())).toBeLessThanOrEqual(3);
  });

  it('stops after --max-messages and leaves the rest; --until-empty on an empty queue exits 0 at once', async () => {
    await mq(['create', 'jobs']);
    await mq(['send', 'jobs', 'a', 'b', 'c', 'd']);
    const result = await mq(['work', 'jobs', '--max-messages', '3', '--concurrency', '2', ...handler()]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(summaryOf(result).processed).toBe(3);
    expect(await stats('jobs')).toMatchObject({ visible: 1, inFlight: 0 });
    await mq(['work', 'jobs', '--until-empty', ...handler()]);
    const empty = await mq(['work', 'jobs', '--until-empty', ...handler()]);
    expect(empty.exitCode, describeRun(empty)).toBe(0);
    expect(summaryOf(empty)).toEqual({ processed: 0, failed: 0, deadLettered: 0, released: 0, interrupted: false });
  });

  it('refuses bad usage, a missing queue and a command that cannot run (giving its message back)', async () => {
    await mq(['create', 'jobs']);
    const noCommand = await mq(['work', 'jobs']);
    expect(noCommand.exitCode, describeRun(noCommand)).toBe(2);
    expect(noCommand.stderr).toBe("mq: missing required argument 'command'\n");
    const missing = await mq(['work', 'nope', ...handler()]);
    expect(missing.exitCode, describeRun(missing)).toBe(3);
    expect(missing.stderr).toBe(`mq: queue "nope" does not exist in ${home}\n`);
    const tooShort = await mq(['work', 'jobs', '--visibility-timeout', '500ms', ...handler()]);
    expect(tooShort.exitCode, describeRun(tooShort)).toBe(2);
    expect(tooShort.stderr).toMatch(/needs a visibility timeout of at least 1s/);
    await mq(['send', 'jobs', 'x']);
    const notFound = await mq(['work', 'jobs', '--until-empty', '--', path.join(home, 'no-such-handler')]);
    expect(notFound.exitCode, describeRun(notFound)).toBe(2);
    expect(notFound.stderr).toMatch(/cannot run ".*no-such-handler": command not found\n$/);
    expect((await peek('jobs')).map((m) => [m.body, m.state])).toEqual([['x', 'visible']]);
  });
});
