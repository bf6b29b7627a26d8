// Bad-input fuzzing of the stream commands, in-process like fuzz.test.ts: random arguments (names,
// shards, positions, keys, hash keys, sizes, durations) for put, tail, replay, shards, groups,
// create-stream and retention, and random stdin (invalid UTF-8, NUL bytes, control characters, lines
// over the record size, JSON nested 100,000 deep for --key-field). Every case must end with a documented
// exit status and one-line errors, never an internal error, and leave every segment line whole with a
// good checksum, counters consecutive, and the store's reader agreeing with the files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import type { ReadResult, StreamPosition } from '../../src/core/stream-types.js';
import { runFuzzedCommands } from '../helpers/fuzz-commands.js';
import { scanStore } from '../helpers/segment-check.js';
import { tempHome } from '../helpers/tmp-home.js';

const SEQ0 = `1${'0'.repeat(12)}${'1'.padStart(20, '0')}`;
const SEQ1 = `1${'1'.padStart(12, '0')}${'3'.padStart(20, '0')}`;
const deep = (levels: number) => `${'{"a":'.repeat(levels)}"k"${'}'.repeat(levels)}`;

const streamName = fc.oneof(
  fc.constantFrom('ev', 'ev', 'two', 'missing', '../x', 'a/b', '', 'a b', 'x'.repeat(129), '.', '-n'),
  fc.string({ maxLength: 10 }),
);
const position = fc.oneof(
  fc.constantFrom('trim-horizon', 'latest', 'TRIM_HORIZON', `at:${SEQ0}`, `after:${SEQ0}`, `at:${SEQ1}`, 'at:1', 'after:', '-1h', '-15m', '0',
    '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 'yesterday', '1e3', `at:${'9'.repeat(33)}`),
  fc.string({ maxLength: 8 }),
);
const hashKey = fc.oneof(
  fc.constantFrom('0', '1', String(2n ** 127n), String(2n ** 128n - 1n), String(2n ** 128n), '-1', '1.5', 'abc', ''),
  fc.bigInt({ min: 0n, max: 2n ** 129n }).map(String),
);
const flag = fc.oneof(
  fc.tuple(fc.constant('--shard'), fc.constantFrom('0', '1', '3', 'shardId-000000000001', 'shardId-1', '99', '-1', 'x')),
  fc.tuple(fc.constantFrom('--from', '--to'), position),
  fc.tuple(fc.constantFrom('-n', '--lines'), fc.constantFrom('0', '1', '5', '100000', '-1', '1.5', 'all')),
  fc.tuple(fc.constant('--group'), fc.constantFrom('g', 'billing', 'bad name', '', '../g', 'x'.repeat(300))),
  fc.tuple(fc.constant('--partition-key'), fc.constantFrom('k', 'user-42', '', 'x'.repeat(256), 'x'.repeat(257), 'é\u0000')),
  fc.tuple(fc.constant('--key-field'), fc.constantFrom('a', 'a.a', 'user.id', '', '.', 'a..b', '__proto__', 'constructor.name')),
  fc.tuple(fc.constant('--explicit-hash-key'), hashKey),
  fc.tuple(fc.constant('--shards'), fc.constantFrom('1', '2', '0', '1001', 'x')),
  fc.tuple(fc.constant('--retention'), fc.constantFrom('24h', '23h', '48h', '8760h', '8761h', 'soon', '-1h')),
  fc.tuple(fc.constant('--max-record-size'), fc.constantFrom('1MiB', '10MiB', '11MiB', '0', '1KiB', 'big')),
  fc.tuple(fc.constant('--durability'), fc.constantFrom('fsync', 'none', 'always')),
  fc.constantFrom(['--json'], ['--bogus'], ['--']),
);
const command = fc.constantFrom('put', 'put', 'put', 'tail', 'tail', 'replay', 'shards', 'groups', 'create-stream', 'retention', 'rm-stream');
const argv = fc.tuple(command, fc.array(streamName, { minLength: 0, maxLength: 2 }), fc.array(fc.oneof(streamName, fc.constantFrom('{"a":1}', '24h', '25h', 'data')), { maxLength: 2 }), fc.array(flag, { maxLength: 4 }))
  .map(([cmd, names, positional, flags]) => [cmd, ...names, ...positional, ...flags.flat()]);
const line = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('{"a":"k1"}', '{"a":{"a":"k2"}}', '{"user":{"id":42}}', '{"a":null}', '{"a":[1]}', '{"a":true}', '[1,2]', 'null', '{"__proto__":{"a":"x"}}',
    '\0', '\u0001\u0002', '\uD800', '\uFFFE', 'é😀', '\t', '{"a":"'),
  fc.constantFrom(deep(100_000), `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`, 'x'.repeat(1024 * 1024 + 1)),
);
const stdin = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.array(line, { maxLength: 8 }).map((lines) => Buffer.from(`${lines.join('\n')}\n`)),
  fc.array(line, { maxLength: 4 }).map((lines) => Buffer.from(lines.join('\n'))),
);

// Every stream's shards, read through the store, agree with the segment files read byte by byte.
async function checkStreams(home: string): Promise<void> {
  const scan = scanStore(home);
  expect(scan.problems).toEqual([]);
  const streams = createFsBackend({ home }).streams;
  for (const [name, shards] of scan.records) {
    for (const [shardId, records] of shards) {
      expect(records.map((r) => r.counter)).toEqual(records.map((_, i) => i + 1));
      const read: string[] = [];
      let from: StreamPosition = { type: 'trim-horizon' };
      for (;;) {
        const result: ReadResult = await streams.read(name, shardId, from);
        read.push(...result.records.map((r) => `${r.sequence} ${r.partitionKey} ${r.data}`));
        from = result.next;
        if (result.caughtUp) break;
      }
      expect(read).toEqual(records.map((r) => `${r.sequence} ${r.partitionKey} ${r.data}`));
    }
  }
}

describe('stream CLI fuzzing', () => {
  it('gives every input a documented exit status, one-line errors, and whole, checksummed segments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(argv, stdin), { minLength: 1, maxLength: 6 }), async (runs) => {
        const home = tempHome();
        const setup = createFsBackend({ home, durability: 'none' }).streams;
        await setup.create('ev', { shardCount: 2 });
        await setup.create('two');
        await setup.put('ev', [{ data: '{"a":"first"}', explicitHashKey: '0' }, { data: 'second', partitionKey: 'k' }]);
        await runFuzzedCommands(home, runs);
        await checkStreams(home);
      }),
      { numRuns: Number(process.env.MQ_FUZZ_RUNS ?? 200) },
    );
  });
});
