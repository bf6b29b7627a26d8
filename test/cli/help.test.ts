// Every command documents itself: a one-line summary, a description for each argument and option, and
// an example; `mq help COMMAND` prints it.
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { tempHome } from '../helpers/tmp-home.js';

const program = await buildProgram({ io: memoryIo(), openBackend: () => { throw new Error('no backend in help'); } });
const visible = program.commands.filter((command) => !(command as Command & { _hidden?: boolean })._hidden);

describe('help', () => {
  it.each(visible.map((command) => [command.name(), command] as const))('documents %s: summary, arguments, options', (_name, command) => {
    expect(command.summary()).toMatch(/^[a-z].{10,80}$/);
    for (const argument of command.registeredArguments) expect([argument.name(), argument.description]).toEqual([argument.name(), expect.stringMatching(/\w/)]);
    for (const option of command.options) expect([option.flags, option.description]).toEqual([option.flags, expect.stringMatching(/\w/)]);
  });

  it.each(visible.map((command) => [command.name()]))('prints help with an example for "mq help %s"', async (name) => {
    const io = memoryIo('', { MQ_HOME: tempHome() });
    expect(await main(['help', name], io)).toBe(0);
    expect(io.output()).toMatch(new RegExp(`^Usage: mq ${name.replace('.', '\\.')} [^]*\\nExamples?:\\n  (mq|source|\\*/5) `));
  });

  it('lists every visible command, and not the hidden one, in mq --help', async () => {
    const io = memoryIo('', { MQ_HOME: tempHome() });
    expect(await main(['--help'], io)).toBe(0);
    for (const command of visible) expect(io.output()).toMatch(new RegExp(`\\n  ${command.name()}\\b`));
    expect(io.output()).not.toMatch(/__complete/);
  });
});
