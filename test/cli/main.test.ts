// The CLI run in-process (cspell style): argv and stdin in, exit status and output out.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { MqError, type MqErrorCode } from '../../src/core/errors.js';
import { memoryIo } from '../helpers/memory-io.js';
import { tempHome } from '../helpers/tmp-home.js';

async function run(args: string[], input = '', tty = false) {
  const io = memoryIo(input, { MQ_HOME: tempHome() });
  if (tty) Object.assign(io.stdin, { isTTY: true });
  const code = await main(args, io);
  return { code, stdout: io.output(), stderr: io.errors() };
}

describe('mq in-process', () => {
  it.each([
    [['create', 'jobs'], 0, ''],
    [['create', '../x'], 2, /^mq: invalid queue name/],
    [['receive', 'missing'], 3, /^mq: queue "missing" does not exist in \/\S+\/mq-test-\w+\n$/],
    [['create', 'jobs', '--retention', 'forever'], 2, /invalid duration "forever"/],
    [['--json', 'stats', 'missing'], 3, /^\{"error":\{"code":"QUEUE_NOT_FOUND","message":"queue \\"missing\\" does not exist in (\/\S+)","store":"\1"\}\}\n$/],
    [['recieve', 'jobs'], 2, "mq: unknown command 'recieve' (Did you mean receive?)\n"],
    [['receive', 'jobs', '--wiat', '1s'], 2, "mq: unknown option '--wiat' (Did you mean --wait?)\n"],
    [['--json', 'recieve', 'jobs'], 2, '{"error":{"code":"USAGE","message":"unknown command \'recieve\' (Did you mean receive?)"}}\n'],
    [['receive'], 2, "mq: missing required argument 'queue'\n"],
    [['--version'], 0, ''],
  ])('%j exits %i', async (args, code, stderr) => {
    const result = await run(args);
    expect(result.code).toBe(code);
    if (typeof stderr === 'string') expect(result.stderr).toBe(stderr);
    else expect(result.stderr).toMatch(stderr);
  });

  it('refuses to read messages from an interactive terminal', async () => {
    const io = memoryIo('', { MQ_HOME: tempHome() });
    expect(await main(['create', 'jobs'], io)).toBe(0);
    Object.assign(io.stdin, { isTTY: true });
    expect(await main(['send', 'jobs'], io)).toBe(2);
    expect(io.errors()).toBe('mq: no messages given: pass them as arguments or pipe them on stdin\n');
  });

  it('rejects an unknown MQ_DURABILITY', async () => {
    const io = memoryIo('', { MQ_HOME: tempHome(), MQ_DURABILITY: 'sometimes' });
    expect(await main(['create', 'jobs'], io)).toBe(2);
    expect(io.errors()).toMatch(/MQ_DURABILITY must be fsync or none/);
  });

  it('stops a long poll on interrupt and exits 130', async () => {
    const io = memoryIo('', { MQ_HOME: tempHome() });
    await main(['create', 'jobs'], io);
    setTimeout(() => io.interrupt(), 100);
    expect(await main(['receive', 'jobs', '--wait', '10s'], io)).toBe(130);
  });

  it('maps every error code to its documented exit status', () => {
    const expected: Record<MqErrorCode, number> = {
      INVALID_ARGUMENT: 2, INVALID_NAME: 2, INVALID_MESSAGE: 2, MESSAGE_TOO_LARGE: 2, RECORD_TOO_LARGE: 2, RECEIPT_INVALID: 2,
      QUEUE_NOT_FOUND: 3, STREAM_NOT_FOUND: 3, SHARD_NOT_FOUND: 3, GROUP_NOT_FOUND: 3,
      ALREADY_EXISTS: 4, RECEIPT_STALE: 4, CONFLICT: 4, SHARD_CLOSED: 4, LEASE_LOST: 4, LOCKED: 4,
      STORE_REFUSED: 1, CORRUPT: 1, IO: 1, UNAVAILABLE: 1, INTERNAL: 1, INTERRUPTED: 130,
    };
    for (const [code, status] of Object.entries(expected)) expect([code, exitCodeFor(new MqError(code as MqErrorCode, 'x'))]).toEqual([code, status]);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
  });
});
