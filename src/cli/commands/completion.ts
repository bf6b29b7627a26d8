// mq completion SHELL prints a completion script; the hidden `mq __complete queues` is what those
// scripts call for queue names (a plain list, fast: no counting, no stats).
import { Argument, type Command } from 'commander';
import { type CliContext, sessionFor } from '../context.js';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };
const COMPLETE_TIMEOUT_MS = 1000;

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a script that completes mq\'s commands, options and option values, and queue names from the store (it runs "mq __complete queues" when you press Tab, with the --home given on the line, if any).')
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
    .addArgument(new Argument('<kind>').choices(['queues']))
    .action(async (_kind: string, _flags: unknown, command: Command) => {
      // Run on every Tab: a store that does not answer within a second completes nothing.
      const { backend, out } = sessionFor(ctx, command, { timeoutMs: COMPLETE_TIMEOUT_MS });
      const names = await Promise.race([
        backend.queues.list().then((infos) => infos.map((info) => info.name)),
        new Promise<string[]>((resolve) => setTimeout(resolve, COMPLETE_TIMEOUT_MS, []).unref()),
      ]);
      out.lines(names);
    });
}
