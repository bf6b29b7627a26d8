// Shell completion through the built binary: the scripts name every command and call back for queue
// names; the bash script is run for real (bash drives _mq as it would on Tab) against a store.
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
  it.each(['bash', 'zsh', 'fish'])('prints a %s script naming every command and calling back for queue names', async (shell) => {
    const result = await mq(['completion', shell]);
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`\\b${command}\\b`));
    expect(result.stdout).toMatch(/command mq \S+ __complete queues 2>\/dev\/null/);
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

  it('lists queue names for the scripts, and nothing (creating nothing) without a store', async () => {
    const empty = await mq(['__complete', 'queues']);
    expect([empty.exitCode, empty.stdout, empty.stderr]).toEqual([0, '', '']);
    expect(listTree(home)).toEqual([]);
    await mq(['create', 'jobs']);
    await mq(['create', 'orders.fifo']);
    expect((await mq(['__complete', 'queues'])).stdout).toBe('jobs\norders.fifo\n');
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
