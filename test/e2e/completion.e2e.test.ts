// Shell completion through the built binary: the scripts name every command and call back for names
// from the store (queues, streams, and the shards and groups of the stream on the line). Each script is
// run for real against a store: bash drives _mq as it would on Tab, zsh completes in a pseudo-terminal
// (test/fixtures/zsh-complete.zsh), fish answers `complete -C`.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { MQ_BIN, describeRun, runMq } from '../helpers/run-mq.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

const COMMANDS = [
  'create', 'send', 'receive', 'ack', 'nack', 'extend', 'work', 'peek', 'stats', 'ls', 'set', 'redrive', 'purge', 'rm',
  'create-stream', 'put', 'tail', 'replay', 'shards', 'split', 'merge', 'reshard', 'consume', 'groups', 'retention', 'rm-stream', 'top', 'serve', 'console', 'completion', 'help',
];

let home: string;
const mq = (args: string[]) => runMq(args, { home });

beforeEach(() => {
  home = tempHome();
});

describe('mq completion', () => {
  it.each(['bash', 'zsh', 'fish'])('prints a %s script naming every command and calling back for names from the store', async (shell) => {
    const result = await mq(['completion', shell]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`\\b${command}\\b`));
    expect(result.stdout).toMatch(/command mq \S+ __complete \S+/);
    expect(result.stdout).toMatch(/--visibility-timeout/);
  });

  it('names each shell\'s own way of registering', async () => {
    expect((await mq(['completion', 'bash'])).stdout).toMatch(/\ncomplete -o default -F _mq mq\n$/);
    expect((await mq(['completion', 'zsh'])).stdout).toMatch(/^#compdef mq\n[^]*compdef _mq mq\n/);
    expect((await mq(['completion', 'fish'])).stdout).toMatch(/\ncomplete -c mq -n __fish_use_subcommand -a work -d 'run a command for each message/);
  });

  it('refuses an unknown shell with exit 2', async () => {
    const result = await mq(['completion', 'tcsh']);
    expect(result.exitCode, describeRun(result)).toBe(2);
    expect(result.stderr).toBe("mq: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n");
  });

  it('lists names for the scripts, and nothing (creating nothing, no error) where there is nothing', async () => {
    for (const args of [['queues'], ['streams'], ['shards', 'events'], ['groups', 'events']]) {
      const empty = await mq(['__complete', ...args]);
      expect([args, empty.exitCode, empty.stdout, empty.stderr]).toEqual([args, 0, '', '']);
    }
    expect(listTree(home)).toEqual([]);
    await mq(['create', 'jobs']);
    await mq(['create', 'orders.fifo']);
    await mq(['create-stream', 'events', '--shards', '2']);
    await mq(['tail', 'events', '--group', 'billing']);
    expect((await mq(['__complete', 'queues'])).stdout).toBe('jobs\norders.fifo\n');
    expect((await mq(['__complete', 'streams'])).stdout).toBe('events\n');
    expect((await mq(['__complete', 'shards', 'events'])).stdout).toBe('shardId-000000000000\nshardId-000000000001\n');
    expect((await mq(['__complete', 'groups', 'events'])).stdout).toBe('billing\n');
    expect((await mq(['__complete', 'groups', 'nope'])).stdout).toBe('');
    expect((await mq(['__complete', 'shards', '../x'])).stdout).toBe('');
  });

  it('completes commands, options, option values and queue names in bash', async () => {
    await mq(['create', 'jobs']);
    await mq(['create', 'jobs-dead']);
    const elsewhere = tempHome();
    await runMq(['create', 'other'], { home: elsewhere });
    // An `mq` on PATH, as the script calls it.
    const bin = path.join(home, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'mq'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MQ_BIN)} "$@"\n`, { mode: 0o755 });
    const script = (await mq(['completion', 'bash'])).stdout;
    const cases: [string[], string][] = [
      [['mq', ''], COMMANDS.join(' ')],
      [['mq', 're'], 'receive redrive replay reshard retention'],
      [['mq', 'receive', ''], 'jobs jobs-dead'],
      [['mq', '--json', 'stats', 'jobs-'], 'jobs-dead'],
      [['mq', 'receive', '-n', '5', 'j'], 'jobs jobs-dead'],
      [['mq', 'set', 'jobs', '--dlq', ''], 'jobs jobs-dead'],
      [['mq', 'create', 'x', '--durability', ''], 'fsync none'],
      [['mq', 'rm', 'jobs', 'jobs-'], 'jobs-dead'],
      [['mq', 'work', 'jobs', '--until'], '--until-empty'],
      [['mq', 'completion', ''], 'bash zsh fish'],
      [['mq', 'help', 'wo'], 'work'],
      [['mq', '--home', elsewhere, 'peek', ''], 'other'],
    ];
    const driver = cases.map(([words]) => `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _mq; echo "\${COMPREPLY[*]}"`).join('\n');
    const result = await execa('bash', ['-c', `${script}\n${driver}`], { env: { PATH: `${bin}:${process.env.PATH}`, MQ_HOME: home }, reject: false });
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual(cases.map(([, expected]) => expected));
  });
});

// A store with queues, streams (one with three shards and a consumer group) and a second store, and an
// `mq` on PATH as the scripts call it.
async function storeWithNames(): Promise<{ bin: string; elsewhere: string }> {
  for (const args of [['create', 'jobs'], ['create', 'jobs-dead'], ['create-stream', 'events', '--shards', '3'], ['create-stream', 'logs'], ['tail', 'events', '--group', 'billing']]) {
    expect((await mq(args)).exitCode).toBe(0);
  }
  const elsewhere = tempHome();
  expect((await runMq(['create-stream', 'far'], { home: elsewhere })).exitCode).toBe(0);
  const bin = path.join(home, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'mq'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MQ_BIN)} "$@"\n`, { mode: 0o755 });
  return { bin, elsewhere };
}

const SHARDS = 'shardId-000000000000 shardId-000000000001 shardId-000000000002';

// A command line up to the cursor, and the words completion must offer there (sorted).
const nameCases = (elsewhere: string): [string, string][] => [
  ['mq receive ', 'jobs jobs-dead'],
  ['mq tail ', 'events logs'],
  ['mq rm-stream logs ev', 'events'],
  ['mq ls ', 'events jobs jobs-dead logs'],
  ['mq tail events --shard ', SHARDS],
  ['mq replay events --from -1h --shard ', SHARDS],
  ['mq split events ', SHARDS],
  ['mq merge events shardId-000000000000 ', SHARDS],
  ['mq tail events --group ', 'billing'],
  ['mq tail --shard 1 events -n 3 --group ', 'billing'],
  ['mq groups events ', 'billing'],
  ['mq consume events --group ', 'billing'],
  ['mq tail events --from ', 'latest trim-horizon'],
  ['mq consume events --from ', 'latest trim-horizon'],
  ['mq tail nope --shard ', ''],
  [`mq --home ${elsewhere} tail `, 'far'],
];

const sorted = (words: string) => words.split(/\s+/).filter(Boolean).sort().join(' ');

// How each shell completes LINES with SCRIPT loaded, printing one line of words per line completed.
type Completer = (script: string, lines: string[], env: Record<string, string>) => Promise<{ exitCode?: number; stdout: string; stderr: string }>;
const COMPLETE_IN: Record<'bash' | 'zsh' | 'fish', Completer> = {
  // bash calls _mq with COMP_WORDS and COMP_CWORD, as on Tab.
  bash: (script, lines, env) => execa('bash', ['-c', [`source ${script}`, ...lines.map((line) => {
    const words = line.split(' ');
    return `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _mq; echo "\${COMPREPLY[*]}"`;
  })].join('\n')], { env, reject: false }),
  // zsh completes in a pseudo-terminal.
  zsh: (script, lines, env) => execa('zsh', ['-f', path.resolve('test/fixtures/zsh-complete.zsh'), script, ...lines], { env, reject: false, timeout: 400_000 }),
  // fish says what it would complete.
  fish: (script, lines, env) => execa('fish', ['--no-config', '-c', [`source ${script}`, ...lines.map((line) => `set -l words (complete -C ${JSON.stringify(line)} | string split -f1 \\t); echo "$words"`)].join('\n')], { env, reject: false }),
};

// Each completion that names something runs mq (a process start, seconds apiece on a busy machine), one
// after another: generous deadlines.
describe('completion of names from the store: queues, streams, shards, groups, --from values', () => {
  it.each(['bash', 'zsh', 'fish'] as const)('in %s', async (shell) => {
    const { bin, elsewhere } = await storeWithNames();
    const cases = nameCases(elsewhere);
    const script = path.join(home, `mq.${shell}`);
    fs.writeFileSync(script, (await mq(['completion', shell])).stdout);
    const env = { PATH: `${bin}:${process.env.PATH}`, MQ_HOME: home, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') };
    const result = await COMPLETE_IN[shell](script, cases.map(([line]) => line), env);
    expect([result.exitCode, result.stderr], `is ${shell} installed? (apt-get install ${shell})`).toEqual([0, '']);
    expect(result.stdout.split('\n').map(sorted)).toEqual(cases.map(([, expected]) => expected));
  }, 420_000);
});
