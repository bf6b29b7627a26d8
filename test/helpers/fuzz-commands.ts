// What every CLI fuzz run checks of each command it runs: an exit status the README documents, never an
// internal error, every stderr line a one-line error (plain or JSON), and a failure always saying why.
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from './memory-io.js';

const DOCUMENTED = [0, 2, 3, 4];

export async function runFuzzedCommands(home: string, runs: [string[], string | Buffer][]): Promise<void> {
  for (const [args, input] of runs) {
    const io = memoryIo(input, { MQ_HOME: home, MQ_DURABILITY: 'none' });
    const code = await main(args, io);
    const errors = io.errors();
    expect([args, code, DOCUMENTED.includes(code)]).toEqual([args, code, true]);
    expect(errors).not.toMatch(/internal error/);
    for (const line of errors.split('\n').filter(Boolean)) expect(line).toMatch(/^(mq: \S|\{"error":\{"code":"[A-Z_]+","message":")/);
    if (code !== 0) expect(errors).not.toBe('');
  }
}
