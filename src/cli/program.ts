// The command tree: global options, one registration per command file, and commander set to throw
// (not exit) and to leave error printing to main, which prints one line.
import { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerCommands } from './commands/index.js';
import { optionDescription } from './help/option-help.js';
import { HELP_TOPICS, type HelpTopic } from './help/topics.js';

export const VERSION = '0.1.0';

// With `argv`, only the command it runs is defined (see registerCommands); without, all of them.
export async function buildProgram(ctx: CliContext, argv?: string[]): Promise<Command> {
  const program = new Command('mq')
    .description('Local message queues (SQS semantics) and streams (Kinesis semantics) on the file system.')
    .version(VERSION, '-V, --version')
    .option('--home <dir>', 'store directory (default: $MQ_HOME, $XDG_DATA_HOME/mq or ~/.local/share/mq)')
    .option('--url <url>', 'a NATS JetStream cluster instead of a directory: nats://host:port[,host:port...] (default: $MQ_URL; $MQ_NAMESPACE prefixes the names mq makes there)')
    .option('--json', 'print results as JSON lines (and errors as a JSON line on stderr)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true, optionDescription })
    .addHelpText('after', `
Examples:
  mq create jobs
  seq 1000 | mq send jobs
  mq receive jobs -n 10
  mq ack jobs RECEIPT...
  mq create-stream events --shards 4
  tail -f app.log | mq put events
  mq tail events -f

Run "mq help COMMAND" for a command's options and examples.
${Object.entries(HELP_TOPICS).map(([name, topic]) => `Run "mq help ${name}" for ${topic.summary}.`).join('\n')}`);
  const word = argv && commandWord(argv);
  // `mq --version` needs no command at all.
  const versionOnly = word === undefined && argv !== undefined && (argv.includes('--version') || argv.includes('-V'));
  if (!versionOnly) await registerCommands(program, ctx, word);
  configureRecursively(program, ctx);
  return program;
}

function configureRecursively(command: Command, ctx: CliContext): void {
  command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      // main prints the error itself, as one line.
      outputError: () => {},
    });
  for (const sub of command.commands) configureRecursively(sub, ctx);
}

// The command an argument list runs: the first word that is not a global option or its value.
export function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--home' || arg === '--url') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

// The topic `mq help TOPIC` asks for, if TOPIC is one.
export function requestedTopic(argv: string[]): HelpTopic | undefined {
  if (commandWord(argv) !== 'help') return undefined;
  const rest = argv.slice(argv.indexOf('help') + 1).filter((arg) => !arg.startsWith('-'));
  return rest.length === 1 && Object.hasOwn(HELP_TOPICS, rest[0]!) ? HELP_TOPICS[rest[0]!] : undefined;
}
