// mq work in-process (cspell style): the handler's output is piped into the Io the CLI was given, and
// the summary and exit status come back through main().
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../helpers/memory-io.js';
import { tempHome } from '../../helpers/tmp-home.js';

const HANDLER = path.resolve('test/fixtures/handler.mjs');

describe('mq work in-process', () => {
  it('passes handler output into the given streams and exits 5 after a failure', async () => {
    const home = tempHome();
    const env = { MQ_HOME: home, HANDLER_LOG: path.join(home, 'log'), PATH: process.env.PATH ?? '' };
    expect(await main(['create', 'jobs'], memoryIo('', env))).toBe(0);
    expect(await main(['send', 'jobs', 'ok', 'bad'], memoryIo('', env))).toBe(0);
    const io = memoryIo('', env);
    const code = await main(['work', 'jobs', '--until-empty', '--retry-delay', '1h', '--', process.execPath, HANDLER, 'echo', 'fail=bad'], io);
    expect(code).toBe(5);
    expect(io.output().split('\n').filter(Boolean).sort()).toEqual(['handled bad', 'handled ok']);
    expect(io.errors()).toMatch(/^note ok$/m);
    expect(io.errors()).toMatch(/: handler exited with status 3; retry in 1h\n/);
    expect(io.errors()).toMatch(/^mq: work jobs: 1 processed, 1 failed, 0 dead-lettered, 0 released in \d+\.\ds \([\d.]+\/s\)$/m);
  });

  it('stops on interrupt with exit 130 when nothing failed', async () => {
    const home = tempHome();
    const env = { MQ_HOME: home, HANDLER_LOG: path.join(home, 'log') };
    expect(await main(['create', 'jobs'], memoryIo('', env))).toBe(0);
    const io = memoryIo('', env);
    setTimeout(() => io.interrupt(), 200);
    expect(await main(['work', 'jobs', '--', process.execPath, HANDLER], io)).toBe(130);
    expect(io.errors()).toMatch(/^mq: work jobs: 0 processed, 0 failed, 0 dead-lettered, 0 released in .*, interrupted\n$/);
  });
});
