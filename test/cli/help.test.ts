// Every command documents itself: a one-line summary, a description for each argument and option, and
// an example; `mq help COMMAND` prints it. Defaults print once in user units; the help topics and the man
// page come from the same text.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { formatDuration } from '../../src/core/units.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { renderManPage } from '../../src/cli/help/man-page.js';
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

describe('help text', () => {
  const options = [program, ...visible].flatMap((command) => command.options.map((option) => [`${command.name()} ${option.flags}`, option] as const));
  const describeOption = program.createHelp().optionDescription;

  it.each(options)('prints the default of %s once, in the units a user types', (_name, option) => {
    const text = describeOption(option);
    expect(text.match(/default/g)?.length ?? 0).toBeLessThanOrEqual(1);
    if (/<duration>|<size>/.test(option.flags)) expect(text).not.toMatch(/default:? \d+(?![\w.])/);
    if (typeof option.defaultValue === 'number' && /<duration>/.test(option.flags)) {
      expect(text).toContain(`default: ${formatDuration(option.defaultValue)}`);
    }
  });

  it('lists in "mq help environment" every MQ_* variable the code reads or sets', async () => {
    const io = memoryIo();
    expect(await main(['help', 'environment'], io)).toBe(0);
    const used = new Set<string>();
    for (const file of fs.readdirSync('src', { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file.endsWith(path.join('help', 'topics.ts'))) continue;
      for (const [name] of fs.readFileSync(path.join('src', file), 'utf8').matchAll(/\bMQ_[A-Z_]+[A-Z]\b/g)) used.add(name);
    }
    expect(used.size).toBeGreaterThanOrEqual(12);
    for (const name of used) expect(io.output()).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('explains in "mq help exit-codes" every status and which error codes end with it', async () => {
    const io = memoryIo();
    expect(await main(['--home', '/nonexistent', 'help', 'exit-codes'], io)).toBe(0);
    for (const status of Object.values(ExitCode)) expect(io.output()).toMatch(new RegExp(`^  ${status} +\\w`, 'm'));
    for (const code of ['QUEUE_NOT_FOUND', 'ALREADY_EXISTS', 'USAGE', 'STORE_REFUSED', 'INTERRUPTED']) expect(io.output()).toContain(code);
    expect(io.output()).toMatch(/^  3 +not found[^]*GROUP_NOT_FOUND/m);
  });

  it('names the help topics in mq --help', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.output()).toContain('mq help environment');
    expect(io.output()).toContain('mq help exit-codes');
  });
});

describe('man page', () => {
  it('is built from the help text: every command, its options and examples, the environment and the exit statuses', async () => {
    const page = await renderManPage();
    expect(fs.readFileSync('dist/mq.1', 'utf8')).toBe(page);
    for (const command of visible) {
      expect(page).toContain(`.SS ${command.name()}\n.nf\nUsage: mq ${command.name()} `);
      for (const option of command.options) expect(page).toContain(option.long!.replace(/-/g, '-'));
    }
    expect(page).toMatch(/\.SH ENVIRONMENT\n[^]*\.B MQ_ALLOW_NETWORK_FS\n[^]*\.SH EXIT STATUS\n[^]*\.B 130\n/);
    expect(page).toContain('--visibility-timeout <duration>');
  });

  it('renders with man(1) without a warning', async () => {
    const result = await execa('man', ['--warnings', '-l', 'dist/mq.1'], { env: { MANWIDTH: '80', MAN_KEEP_FORMATTING: '' }, reject: false });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^MQ\(1\) +User Commands +MQ\(1\)/);
    expect(result.stdout).toMatch(/\nEXIT STATUS\n/);
  });
});
