// The fish completion script: commands with their summaries, options with their descriptions and
// values, and names asked from the store at completion time (`mq __complete KIND [STREAM]`, honouring a
// --home on the line): queues, streams, and the shards and groups of the stream on the line.
import { type Completion, type CompletionModel, type CompletionOption, allOptions } from './model.js';

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function valueArgs(completion: Completion): string {
  switch (completion.kind) {
    case 'queue':
      return " -x -a '(__mq_names queues)'";
    case 'stream':
      return " -x -a '(__mq_names streams)'";
    case 'name':
      return " -x -a '(__mq_names queues; __mq_names streams)'";
    case 'shard':
      return " -x -a '(__mq_names shards)'";
    case 'group':
      return " -x -a '(__mq_names groups)'";
    case 'command':
      return " -x -a '(__mq_commands)'";
    case 'program':
      return " -x -a '(__fish_complete_command)'";
    case 'choices':
      return ` -x -a ${quote(completion.values.join(' '))}`;
    case 'none':
      return ' -r';
  }
}

function optionLine(condition: string, option: CompletionOption): string {
  const short = option.short ? ` -s ${option.short.slice(1)}` : '';
  const value = option.value === null ? '' : valueArgs(option.value);
  return `complete -c mq -n ${quote(condition)}${short} -l ${option.long.slice(2)}${value} -d ${quote(option.description)}`;
}

export function fishScript(model: CompletionModel): string {
  const valueOptions = [...allOptions(model).entries()].filter(([, o]) => o.value !== null).map(([name]) => name);
  const lines: string[] = [];
  for (const option of model.globals) lines.push(optionLine('true', option));
  for (const command of model.commands) {
    lines.push(`complete -c mq -n __fish_use_subcommand -a ${command.name} -d ${quote(command.summary)}`);
    const seen = `__fish_seen_subcommand_from ${command.name}`;
    for (const option of command.options) lines.push(optionLine(seen, option));
    const last = command.positionals.length - 1;
    command.positionals.forEach((positional, i) => {
      if (positional.kind === 'none') return;
      const test = i === last && command.variadic && positional.kind !== 'program' ? `-ge ${i + 1}` : `-eq ${i + 1}`;
      lines.push(`complete -c mq -n ${quote(`${seen}; and test (__mq_position) ${test}`)}${valueArgs(positional)}`);
    });
  }
  return `# fish completion for mq. Load it in this shell:  mq completion fish | source
# or for good:  mq completion fish > ~/.config/fish/completions/mq.fish

set -g __mq_value_options ${valueOptions.join(' ')}

# Names of one kind (queues, streams, or the shards or groups of the stream on the line) from the store in
# use; mq prints only valid names.
function __mq_names
    set -l tokens (commandline -opc)
    set -l home
    set -l i (contains -i -- --home $tokens)
    and set home --home $tokens[(math $i + 1)]
    set -l stream
    if contains -- $argv[1] shards groups
        set stream (__mq_stream)
        test -n "$stream"; or return
    end
    command mq $home __complete $argv[1] $stream 2>/dev/null
end

# The words before the token being completed that are no option or option value: the command, then its
# arguments.
function __mq_words
    set -l skip 0
    for token in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
        else if string match -q -- '-*' $token
            contains -- $token $__mq_value_options; and set skip 1
        else
            echo $token
        end
    end
end

# The command's first argument: the stream whose shards or groups to offer.
function __mq_stream
    set -l words (__mq_words)
    set -q words[2]; and echo $words[2]
end

function __mq_commands
    printf '%s\\n' ${model.commands.map((c) => c.name).join(' ')}
end

# How many positional arguments precede the token being completed, the command itself included.
function __mq_position
    count (__mq_words)
end

complete -c mq -f
${lines.join('\n')}
`;
}
