// What shell completion needs to know about the command tree, read from commander itself so the scripts
// never drift from the real commands: each visible command with its summary, its options (which take a
// value, and which values: names from the store or fixed choices), and what each positional argument is.
import type { Argument, Command, Option } from 'commander';

// What a positional argument or an option value completes to. Names come from the store when Tab is
// pressed (`mq __complete KIND [STREAM]`); shards and groups are those of the stream named on the line
// (the command's first argument).
export type Completion =
  | { kind: 'queue' }
  | { kind: 'stream' }
  | { kind: 'name' } // a queue or a stream (the prefix of `mq ls`)
  | { kind: 'shard' }
  | { kind: 'group' }
  | { kind: 'command' } // an mq command (for `mq help`)
  | { kind: 'program' } // an executable (the handler of `mq work`)
  | { kind: 'choices'; values: string[] }
  | { kind: 'none' };

export interface CompletionOption {
  long: string;
  short?: string;
  description: string;
  value: Completion | null; // null: a flag that takes no value
}

export interface CompletionCommand {
  name: string;
  summary: string;
  options: CompletionOption[];
  // By position; a variadic last argument repeats.
  positionals: Completion[];
  variadic: boolean;
}

export interface CompletionModel {
  // Options of mq itself, valid before or after any command (--help among them).
  globals: CompletionOption[];
  commands: CompletionCommand[];
}

// Arguments and option values named like this (`<queue>`, `--dlq <queue>`) complete to these.
const BY_NAME: Record<string, Completion> = {
  queue: { kind: 'queue' },
  dlq: { kind: 'queue' },
  stream: { kind: 'stream' },
  shard: { kind: 'shard' },
  'adjacent-shard': { kind: 'shard' },
  group: { kind: 'group' },
  // Where a stream read starts; times and at:/after: sequence numbers are typed.
  position: { kind: 'choices', values: ['trim-horizon', 'latest'] },
};

function valueOf(option: Option): Completion | null {
  if (!option.required && !option.optional) return null;
  if (option.argChoices) return { kind: 'choices', values: option.argChoices };
  if (option.long === '--shard') return BY_NAME.shard!;
  const placeholder = /<([\w-]+)>/.exec(option.flags)?.[1];
  return (placeholder && BY_NAME[placeholder]) || { kind: 'none' };
}

function optionsOf(command: Command): CompletionOption[] {
  return (command.options as Option[])
    .filter((option) => !option.hidden && option.long)
    .map((option) => ({
      long: option.long!,
      ...(option.short ? { short: option.short } : {}),
      description: option.description,
      value: valueOf(option),
    }));
}

function argumentOf(command: Command, argument: Argument): Completion {
  const name = argument.name();
  if (argument.argChoices) return { kind: 'choices', values: argument.argChoices };
  if (name === 'prefix') return command.name() === 'ls' ? { kind: 'name' } : { kind: 'queue' };
  if (name === 'command') return { kind: 'program' };
  return BY_NAME[name] ?? { kind: 'none' };
}

const HELP_OPTION: CompletionOption = { long: '--help', short: '-h', description: 'show help', value: null };

export function completionModel(program: Command): CompletionModel {
  const commands: CompletionCommand[] = program.commands
    .filter((command) => !(command as Command & { _hidden?: boolean })._hidden)
    .map((command) => {
      const args = command.registeredArguments;
      return {
        name: command.name(),
        summary: command.summary() || command.description(),
        options: optionsOf(command),
        positionals: args.map((argument) => argumentOf(command, argument)),
        variadic: args.at(-1)?.variadic ?? false,
      };
    });
  commands.push({ name: 'help', summary: 'show help for a command', options: [], positionals: [{ kind: 'command' }], variadic: false });
  return {
    globals: [...optionsOf(program), HELP_OPTION],
    commands,
  };
}

// Every option across commands, by long name (a name has one meaning wherever it appears).
export function allOptions(model: CompletionModel): Map<string, CompletionOption> {
  const byName = new Map<string, CompletionOption>();
  for (const option of [...model.globals, ...model.commands.flatMap((c) => c.options)]) {
    if (!byName.has(option.long)) byName.set(option.long, option);
    if (option.short && !byName.has(option.short)) byName.set(option.short, option);
  }
  return byName;
}
