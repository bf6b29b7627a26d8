// mq top and mq stats --watch through the built binary: redrawn frames in (forced) terminal mode with
// their lines checked, appended plain lines and NDJSON when piped, and Ctrl-C ending the view.
import { beforeEach, describe, expect, it } from 'vitest';
import { describeRun, jsonLines, runMq, spawnMq, type RunResult } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';

let home: string;
const mq = (args: string[], env: Record<string, string> = {}, input?: string) => runMq(args, { home, env, ...(input !== undefined ? { input } : {}) });
const TTY = { MQ_FORCE_TTY: '1' };
const ESC = /\x1b\[[0-9;]*[A-Za-z]/g;

// The frames of a redrawn view: each starts at cursor-home; the lines have their ANSI codes removed.
function framesOf(result: RunResult): string[][] {
  expect(result.exitCode, describeRun(result)).toBe(0);
  expect(result.stdout.startsWith('\x1b[2J\x1b[H'), describeRun(result)).toBe(true);
  return result.stdout.split('\x1b[H').slice(1).map((frame) => {
    expect(frame.endsWith('\x1b[J')).toBe(true);
    return frame.replace(ESC, '').split('\n').slice(0, -1);
  });
}

beforeEach(async () => {
  home = tempHome();
  await mq(['create', 'dead']);
  await mq(['create', 'jobs', '--dlq', 'dead', '--max-receives', '3']);
  await mq(['create', 'orders.fifo']);
  await mq(['send', 'dead', 'x', 'y']);
  await mq(['send', 'jobs', 'a', 'b', 'c', 'd', 'e', 'f']);
  await mq(['send', 'jobs', 'later', '--delay', '10m']);
  await mq(['receive', 'jobs']);
});

describe('mq top', () => {
  it('redraws a frame per sample on a terminal: every queue with its counts, DLQ depth, age, rates and sparkline', async () => {
    const frames = framesOf(await mq(['top', '--frames', '3', '--interval', '100ms'], TTY));
    expect(frames).toHaveLength(3);
    for (const [i, frame] of frames.entries()) {
      expect(frame[0]).toMatch(new RegExp(`^mq top  ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\d\\d:\\d\\d:\\d\\dZ  every 100ms, Ctrl-C quits$`));
      expect(frame[1]).toBe('');
      expect(frame[2]).toMatch(/^QUEUE +VISIBLE +INFLIGHT +DELAYED +DLQ +OLDEST +IN\/S +OUT\/S +LAST MINUTE$/);
      const rate = i === 0 ? '-' : '0\\.0';
      const spark = (char: string) => `${char}{${i + 1}}`;
      expect(frame.slice(3)).toEqual([
        expect.stringMatching(new RegExp(`^dead +2 +0 +0 +- +\\d+s +${rate} +${rate} +${spark('█')}$`)),
        expect.stringMatching(new RegExp(`^jobs +5 +1 +1 +2 +\\d+s +${rate} +${rate} +${spark('█')}$`)),
        expect.stringMatching(new RegExp(`^orders\\.fifo +0 +0 +0 +- +- +${rate} +${rate} +${spark('▁')}$`)),
      ]);
    }
  });

  it('appends plain key=value lines when not on a terminal, and NDJSON with --json', async () => {
    const plain = await mq(['top', 'jo', '--frames', '2', '--interval', '100ms']);
    expect(plain.exitCode, describeRun(plain)).toBe(0);
    expect(plain.stdout).not.toMatch(/\x1b/);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^time=\S+Z kind=queue name=jobs visible=5 inFlight=1 delayed=1 dlqDepth=2 oldestAgeSeconds=\d+ inPerSecond=- outPerSecond=-$/);
    expect(lines[1]).toMatch(/ inPerSecond=0 outPerSecond=0$/);

    const json = await mq(['top', '--json', '--frames', '1']);
    expect(jsonLines(json.stdout)).toEqual([
      { time: expect.any(String), kind: 'queue', name: 'dead', visible: 2, inFlight: 0, delayed: 0, dlqDepth: null, oldestAgeSeconds: expect.any(Number), inPerSecond: null, outPerSecond: null },
      expect.objectContaining({ name: 'jobs', visible: 5, inFlight: 1, delayed: 1, dlqDepth: 2 }),
      expect.objectContaining({ name: 'orders.fifo', visible: 0, oldestAgeSeconds: null }),
    ]);
  });

  it('shows the rates and the sparkline following a queue that fills up', async () => {
    const viewer = spawnMq(['top', 'jobs', '--interval', '100ms'], { home, env: TTY });
    let seen = '';
    viewer.stdout!.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
    const waitFor = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const frameCount = () => seen.split('\x1b[H').length - 1;
    await waitFor(() => frameCount() >= 3);
    await mq(['send', 'jobs'], {}, Array.from({ length: 50 }, (_, i) => `n${i}`).join('\n'));
    await waitFor(() => /jobs +55 /.test(seen));
    const after = frameCount();
    await waitFor(() => frameCount() >= after + 5);
    viewer.kill('SIGINT');
    const result = await viewer;
    const rows = framesOf({ exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }).map((frame) => frame[3]!);
    expect(rows[0]).toMatch(/^jobs +5 /);
    // Some frame saw the growth as an "in" rate, and the sparkline rose from low to full.
    expect(rows.some((row) => /^jobs +55 +1 +1 +2 +\S+ +[1-9][\d.]* +0\.0 /.test(row))).toBe(true);
    expect(rows.at(-1)).toMatch(/^jobs +55 .*[▁▂]+█+$/);
  });

  it('ends with exit 0 on Ctrl-C', async () => {
    const viewer = spawnMq(['top'], { home, env: TTY });
    // Once the first frame is out, the interrupt handler is in place.
    await new Promise((resolve) => viewer.stdout!.once('data', resolve));
    viewer.kill('SIGINT');
    const result = await viewer;
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/^\x1b\[2J\x1b\[Hmq top/);
  });
});

describe('mq stats --watch', () => {
  it('redraws the stats of one queue with rates and a sparkline on a terminal', async () => {
    const frames = framesOf(await mq(['stats', 'jobs', '--watch', '--frames', '2', '--interval', '100ms'], TTY));
    expect(frames).toHaveLength(2);
    const last = frames[1]!;
    expect(last[0]).toMatch(/^mq stats jobs  \d\d:\d\d:\d\dZ  every 100ms, Ctrl-C quits$/);
    expect(last).toContain('visible:         5');
    expect(last).toContain('in flight:       1');
    expect(last).toContain('dead letters:    dead after 3 receives (2 messages)');
    expect(last).toContain('rates:                 in 0.0/s, out 0.0/s');
    expect(last).toContain('visible, last minute:  ██');
  });

  it('appends one plain line per sample when piped, and is the plain stats without --watch', async () => {
    const plain = await mq(['stats', 'jobs', '--watch', '--frames', '3', '--interval', '100ms']);
    expect(plain.exitCode, describeRun(plain)).toBe(0);
    expect(plain.stdout.trim().split('\n').map((line) => line.replace(/^time=\S+ /, '').replace(/oldestAgeSeconds=\d+/, 'age'))).toEqual([
      'kind=queue name=jobs visible=5 inFlight=1 delayed=1 dlqDepth=2 age inPerSecond=- outPerSecond=-',
      'kind=queue name=jobs visible=5 inFlight=1 delayed=1 dlqDepth=2 age inPerSecond=0 outPerSecond=0',
      'kind=queue name=jobs visible=5 inFlight=1 delayed=1 dlqDepth=2 age inPerSecond=0 outPerSecond=0',
    ]);
    const json = await mq(['stats', 'jobs', '--watch', '--frames', '1', '--json']);
    expect(jsonLines(json.stdout)).toEqual([expect.objectContaining({ name: 'jobs', visible: 5, inPerSecond: null, dlq: { name: 'dead', maxReceives: 3, depth: 2 } })]);
    expect((await mq(['stats', 'jobs'])).stdout).not.toMatch(/rates:/);
  });
});
