// mq completion SHELL prints a completion script; the hidden `mq __complete KIND [STREAM]` is what those
// scripts call for names from the store: queues, streams, or the shards or consumer groups of a stream
// (a plain list, fast: no counting, no stats; nothing, and no error, when there is nothing to list).
import { Argument, type Command } from 'commander';
import type { Backend } from '../../core/backend.js';
import { isMqError } from '../../core/errors.js';
import { type CliContext, sessionFor } from '../context.js';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };
const COMPLETE_TIMEOUT_MS = 1000;

const NAMES = {
  queues: async (backend: Backend) => (await backend.queues.list()).map((info) => info.name),
  streams: async (backend: Backend) => (await backend.streams.list()).map((info) => info.name),
  shards: async (backend: Backend, stream: string) => (await backend.streams.get(stream)).shards.map((shard) => shard.shardId),
  groups: async (backend: Backend, stream: string) => [...new Set((await backend.streams.groups(stream)).map((lag) => lag.group))],
};

// A stream on the line that does not exist (yet) has no shards or groups to offer: no error for Tab.
async function namesOf(kind: keyof typeof NAMES, backend: Backend, stream: string): Promise<string[]> {
  try {
    return await NAMES[kind](backend, stream);
  } catch (error) {
    if (isMqError(error, 'STREAM_NOT_FOUND', 'INVALID_NAME')) return [];
    throw error;
  }
}

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a script that completes mq\'s commands, options and option values, and names from the store: queues, streams, and the shards and consumer groups of the stream on the line (it runs "mq __complete KIND" when you press Tab, with the --home given on the line, if any).')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(Object.keys(SCRIPTS)))
    .addHelpText('after', `
Examples:
  source <(mq completion bash)                                   # this shell; add it to ~/.bashrc to keep it
  mq completion bash > ~/.local/share/bash-completion/completions/mq
  mq completion zsh > "\${fpath[1]}/_mq"                          # then restart zsh
  mq completion fish > ~/.config/fish/completions/mq.fish`)
    .action((shell: keyof typeof SCRIPTS, _flags: unknown, command: Command) => {
      const { out } = sessionFor(ctx, command);
      out.lines([SCRIPTS[shell](completionModel(program)).trimEnd()]);
    });

  program
    .command('__complete', { hidden: true })
    .description('for completion scripts: print the names of one kind of object, one per line')
    .addArgument(new Argument('<kind>').choices(Object.keys(NAMES)))
    .argument('[stream]', 'the stream whose shards or groups to list')
    .action(async (kind: keyof typeof NAMES, stream: string | undefined, _flags: unknown, command: Command) => {
      // Run on every Tab: a store that does not answer within a second completes nothing.
      const { backend, out } = sessionFor(ctx, command, { timeoutMs: COMPLETE_TIMEOUT_MS });
      const names = await Promise.race([
        namesOf(kind, backend, stream ?? ''),
        new Promise<string[]>((resolve) => setTimeout(resolve, COMPLETE_TIMEOUT_MS, []).unref()),
      ]);
      out.lines(names);
    });
}
