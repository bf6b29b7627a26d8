// The command table that lets a process define only the command it runs must match what each
// registration defines, and a process running one command must behave as with all of them defined.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { buildProgram, commandWord } from '../../../src/cli/program.js';
import { memoryIo } from '../../helpers/memory-io.js';

const ctx = { io: memoryIo(), openBackend: () => { throw new Error('no backend needed'); } };

describe('the command table', () => {
  it('names each command by the name its registration gives it', async () => {
    for (const [name, load] of COMMANDS) {
      const program = new Command();
      (await load())(program, ctx);
      expect(program.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden).map((c) => c.name())).toEqual([name]);
    }
  });

  it('finds the command word after global options', () => {
    expect(commandWord(['--home', '/x', '--json', 'send', 'q'])).toBe('send');
    expect(commandWord(['--url', 'nats://h1:4222', 'receive', 'q'])).toBe('receive');
    expect(commandWord(['--json', 'receive', '-n', '5'])).toBe('receive');
    expect(commandWord(['--version'])).toBeUndefined();
  });

  it('defines only the command that runs, and every command for help, unknown words and completion', async () => {
    expect((await buildProgram(ctx, ['send', 'q', 'x'])).commands.map((c) => c.name())).toEqual(['send']);
    for (const argv of [['help', 'send'], ['sned', 'q'], ['--help'], ['completion', 'bash'], []]) {
      expect((await buildProgram(ctx, argv)).commands.length).toBeGreaterThanOrEqual(COMMANDS.length);
    }
  });
});
