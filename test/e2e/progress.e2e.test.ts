// Progress bars through the built binary: drawn on stderr when it is a terminal (forced here with
// MQ_FORCE_TTY=1, as pipes are all a test has), and never when output is piped.
import { beforeEach, describe, expect, it } from 'vitest';
import { describeRun, runMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

let home: string;
const TTY = { MQ_FORCE_TTY: '1', MQ_DURABILITY: 'none' };
const PIPED = { MQ_DURABILITY: 'none' };
const mq = (args: string[], env: Record<string, string>, input?: string) => runMq(args, { home, env, ...(input !== undefined ? { input } : {}) });
const lines = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`).join('\n') + '\n';

beforeEach(async () => {
  home = tempHome();
  await mq(['create', 'jobs'], PIPED);
});

describe('progress', () => {
  it('draws a bulk send on a terminal, on stderr only, and nothing when piped', async () => {
    const drawn = await mq(['send', 'jobs'], TTY, lines(3000));
    expect(drawn.exitCode, describeRun(drawn)).toBe(0);
    expect(drawn.stderr).toMatch(/^\r\x1b\[Kmq: sent \d+/);
    expect(drawn.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(drawn.stdout).toMatch(/^([0-9A-Z]{26}\n){3000}$/);

    const piped = await mq(['send', 'jobs'], PIPED, lines(3000));
    expect(piped.exitCode, describeRun(piped)).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^([0-9A-Z]{26}\n){3000}$/);
  });

  it('draws a purge with a bar towards the total on a terminal, and nothing when piped', async () => {
    await mq(['send', 'jobs'], PIPED, lines(2500));
    const drawn = await mq(['purge', 'jobs'], TTY);
    expect(drawn.exitCode, describeRun(drawn)).toBe(0);
    expect(drawn.stderr).toMatch(/\r\x1b\[Kmq: purged 1000 of 2500 \[#+ +\]  40%/);
    expect(drawn.stderr).toMatch(/\r\x1b\[Kmq: purged 2500 messages from jobs\n$/);
    expect(drawn.stdout).toBe('');

    await mq(['send', 'jobs'], PIPED, lines(2500));
    const piped = await mq(['purge', 'jobs'], PIPED);
    expect(piped.exitCode, describeRun(piped)).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe('');
  });

  it('draws a redrive with its total on a terminal, and only the summary when piped', async () => {
    await mq(['create', 'dead'], PIPED);
    await mq(['set', 'jobs', '--dlq', 'dead', '--max-receives', '1', '--visibility-timeout', '0s'], PIPED);
    await mq(['send', 'jobs'], PIPED, lines(3));
    await mq(['receive', 'jobs', '-n', '5'], PIPED);
    await mq(['receive', 'jobs', '-n', '5'], PIPED);
    const drawn = await mq(['redrive', 'dead', '--max', '2'], TTY);
    expect(drawn.exitCode, describeRun(drawn)).toBe(0);
    expect(drawn.stderr).toMatch(/^\r\x1b\[Kmq: moved 1 of 2 \[#+ +\]  50%/);
    expect(drawn.stderr).toMatch(/\r\x1b\[Kmq: moved 2 messages from dead: 2 to jobs\n$/);
    const piped = await mq(['redrive', 'dead'], PIPED);
    expect(piped.stderr).toBe('mq: moved 1 message from dead: 1 to jobs\n');
  });
});
