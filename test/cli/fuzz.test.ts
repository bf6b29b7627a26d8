// Bad-input fuzzing of the CLI, in-process so thousands of cases run in seconds: random arguments (valid
// and broken names, flags, durations, attributes) and random stdin bytes (invalid UTF-8, NUL bytes,
// control characters, long lines). Every case must end with a documented exit status and one-line
// errors, never an internal error, and leave the store consistent: no staging file left behind, every
// stored message readable, and the counts adding up.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { runFuzzedCommands } from '../helpers/fuzz-commands.js';
import { tempHome } from '../helpers/tmp-home.js';


const nameLike = fc.oneof(
  fc.constantFrom('jobs', 'orders.fifo', 'dead', 'missing', '../x', 'a/b', '', 'x'.repeat(81), '.fifo', 'jobs.FIFO', '-n'),
  fc.string({ maxLength: 12 }),
);
const durationLike = fc.oneof(fc.constantFrom('0', '30s', '500ms', '13h', '-1s', '1e3', 'soon', '16m', '20s', '21s'), fc.string({ maxLength: 5 }));
const attribute = fc.oneof(
  fc.constantFrom('kind=x', 'AWS.k=v', 'a..b=v', '.x=v', 'k=', '=v', 'novalue', `${'k'.repeat(257)}=v`, 'k=\u0001'),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([k, v]) => `${k}=${v}`),
);
const flag = fc.oneof(
  fc.tuple(fc.constantFrom('--delay', '--visibility-timeout', '--wait', '--retention'), durationLike),
  fc.tuple(fc.constantFrom('-n', '--max', '--max-receives', '--max-size'), fc.oneof(fc.constantFrom('0', '1', '10', '10001', '-5', '1KiB', 'many'), fc.string({ maxLength: 4 }))),
  fc.tuple(fc.constant('--attr'), attribute),
  fc.tuple(fc.constantFrom('--group', '--dedup-id', '--dlq', '--to'), nameLike),
  fc.constantFrom(['--json'], ['--body'], ['--delete'], ['--whole'], ['-0'], ['--fifo'], ['--content-dedup'], ['--bogus'], ['--no-dlq']),
);
const command = fc.constantFrom('send', 'receive', 'ack', 'nack', 'extend', 'peek', 'stats', 'create', 'set', 'purge', 'rm', 'ls', 'redrive');
const argv = fc.tuple(command, fc.array(nameLike, { maxLength: 3 }), fc.array(flag, { maxLength: 4 }))
  .map(([cmd, positional, flags]) => [cmd, ...positional, ...flags.flat()]);
const stdin = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('\0', '\u0001', '\uD800', '\uFFFE', 'x'.repeat(2000))), { maxLength: 10 })
    .map((lines) => Buffer.from(`${lines.join('\n')}\n`)),
);

// Every message file of every queue decodes, and nothing is left in tmp/.
function checkStore(home: string): void {
  const queues = path.join(home, 'queues');
  if (!fs.existsSync(queues)) return;
  for (const queue of fs.readdirSync(queues)) {
    const dir = path.join(queues, queue);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!/^(ready|inflight|groups)\//.test(file) || fs.statSync(path.join(dir, file)).isDirectory()) continue;
      const record = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { v: number; body: string };
      expect(record.v).toBe(1);
      expect(typeof record.body).toBe('string');
    }
  }
}

describe('CLI fuzzing', () => {
  it('gives every input a documented exit status, one-line errors, and a consistent store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(argv, stdin), { minLength: 1, maxLength: 6 }), async (runs) => {
        const home = tempHome();
        const setup = createFsBackend({ home, durability: 'none' }).queues;
        await setup.create('jobs');
        await setup.create('dead');
        await setup.create('orders.fifo', { contentDedup: true });
        await runFuzzedCommands(home, runs);
        checkStore(home);
        for (const queue of await setup.list()) {
          const stats = await setup.stats(queue.name);
          const received = await setup.receive(queue.name, { max: 10_000, visibilityTimeoutMs: 0 });
          expect(received.length).toBe(stats.visible);
        }
      }),
      { numRuns: Number(process.env.MQ_FUZZ_RUNS ?? 300) },
    );
  });
});
