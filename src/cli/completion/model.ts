// What shell completion needs to know about the command tree, read from commander itself so the scripts
// never drift from the real commands: each visible command with its summary, its options (which take a
// value, and which values: queue names or fixed choices), and what each positional argument is.
import type { Argument, Command, Option } from 'commander';

// What a positional argument or an option value completes to.
export type Completion =
  | { kind: 'queue' }
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

// Arguments and option values named like this are queue names.
const QUEUE_NAMES = new Set(['queue', 'dlq', 'prefix']);

function valueOf(option: Option): Completion | null {
  if (!option.required && !option.optional) return null;
  if (option.argChoices) return { kind: 'choices', values: option.argChoices };
  return /<(queue|dlq)>/.test(option.flags) ? { kind: 'queue' } : { kind: 'none' };
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
  if (QUEUE_NAMES.has(name)) return { kind: 'queue' };
  if (command.name() === 'work' && name === 'command') return { kind: 'program' };
  return { kind: 'none' };
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
