// The bash completion script: commands, their options and option values, and names asked from the store
// at completion time (`mq __complete KIND [STREAM]`, honouring a --home on the line): queues, streams, and
// the shards and groups of the stream on the line. Names are validated by mq ([A-Za-z0-9_.-]), so they
// need no quoting inside the script.
import { type Completion, type CompletionModel, type CompletionOption, allOptions } from './model.js';

function words(values: string[]): string {
  return values.join(' ');
}

function completionCase(completion: Completion): string {
  switch (completion.kind) {
    case 'queue':
      return '@queue';
    case 'stream':
      return '@stream';
    case 'name':
      return '@name';
    case 'shard':
      return '@shard';
    case 'group':
      return '@group';
    case 'command':
      return '@command';
    case 'program':
      return '@program';
    case 'choices':
      return words(completion.values);
    case 'none':
      return '';
  }
}

export function bashScript(model: CompletionModel): string {
  const options = allOptions(model);
  const valueOptions = [...options.entries()].filter(([, o]) => o.value !== null);
  // By command: an option name can mean different things (send --group is a message group, tail --group
  // a consumer group).
  const valueCase = (pattern: string, option: CompletionOption): string[] => {
    const value = option.value === null ? '' : completionCase(option.value);
    if (value === '') return [];
    return (option.short ? [option.short, option.long] : [option.long]).map((flag) => `    ${pattern.replace('FLAG', flag)}) echo '${value}' ;;`);
  };
  const optionValues = [
    ...model.commands.flatMap((c) => c.options.flatMap((o) => valueCase(`"${c.name} FLAG"`, o))),
    ...model.globals.flatMap((o) => valueCase('*" FLAG"', o)),
  ];
  const commandOptions = model.commands.map((c) => {
    const flags = c.options.flatMap((o) => (o.short ? [o.short, o.long] : [o.long]));
    return `    ${c.name}) echo '${words(flags)}' ;;`;
  });
  const positionals = model.commands.filter((c) => c.positionals.length > 0).map((c) => {
    const last = c.positionals.length - 1;
    const cases = c.positionals.map((p, i) => `${i === last && c.variadic && p.kind !== 'program' ? '*' : String(i)}) echo '${completionCase(p)}' ;;`);
    return `    ${c.name}) case $2 in ${cases.join(' ')} esac ;;`;
  });
  return `# bash completion for mq. Load it in this shell:  source <(mq completion bash)
# or for good:  mq completion bash > ~/.local/share/bash-completion/completions/mq

_mq_commands='${words(model.commands.map((c) => c.name))}'
_mq_global_options='${words(model.globals.flatMap((o) => (o.short ? [o.short, o.long] : [o.long])))}'
_mq_value_options=' ${words(valueOptions.map(([name]) => name))} '

# Names of one kind from the store in use: queues, streams, or the shards or groups of stream $2. mq
# prints only valid names, which need no quoting.
_mq_names() {
  local i home=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ \${COMP_WORDS[i]} == --home ]] && home=(--home "\${COMP_WORDS[i+1]}")
  done
  command mq "\${home[@]}" __complete "$@" 2>/dev/null
}

_mq_command_options() {
  case $1 in
${commandOptions.join('\n')}
  esac
}

# What the value of option $2 of command $1 completes to: @queue, @stream, @shard, @group, or a list of
# choices.
_mq_option_values() {
  case "$1 $2" in
${optionValues.join('\n')}
  esac
}

# What positional argument $2 (0-based) of command $1 completes to.
_mq_positional() {
  case $1 in
${positionals.join('\n')}
  esac
}

# Completes $1 as $2 says; $3 is the stream on the line (the command's first argument), for shards and groups.
_mq_reply() {
  local cur=$1 what=$2 stream=$3
  case $what in
    @queue) COMPREPLY=($(compgen -W "$(_mq_names queues)" -- "$cur")) ;;
    @stream) COMPREPLY=($(compgen -W "$(_mq_names streams)" -- "$cur")) ;;
    @name) COMPREPLY=($(compgen -W "$(_mq_names queues) $(_mq_names streams)" -- "$cur")) ;;
    @shard | @group) [[ -n $stream ]] && COMPREPLY=($(compgen -W "$(_mq_names "\${what#@}s" "$stream")" -- "$cur")) ;;
    @command) COMPREPLY=($(compgen -W "$_mq_commands" -- "$cur")) ;;
    @program) COMPREPLY=($(compgen -c -- "$cur")) ;;
    '') ;;
    *) COMPREPLY=($(compgen -W "$what" -- "$cur")) ;;
  esac
}

_mq() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local i word cmd= first= position=0 after_dashes=-1
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if ((after_dashes >= 0)); then ((after_dashes++)); continue; fi
    if [[ $word == -- ]]; then after_dashes=0; continue; fi
    if [[ $word == -* ]]; then
      [[ $_mq_value_options == *" $word "* ]] && ((i++))
      continue
    fi
    if [[ -z $cmd ]]; then cmd=$word; else ((position == 0)) && first=$word; ((position++)); fi
  done
  # After "mq work QUEUE --" (or consume): the handler command, then its arguments (files, by default).
  if ((after_dashes >= 0)); then
    ((after_dashes == 0 && position == 1)) && _mq_reply "$cur" @program
    return
  fi
  if [[ $prev == -* && $_mq_value_options == *" $prev "* ]]; then
    _mq_reply "$cur" "$(_mq_option_values "$cmd" "$prev")" "$first"
    return
  fi
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then _mq_reply "$cur" "$_mq_global_options"; else _mq_reply "$cur" @command; fi
    return
  fi
  if [[ $cur == -* ]]; then
    _mq_reply "$cur" "$(_mq_command_options "$cmd") $_mq_global_options"
    return
  fi
  _mq_reply "$cur" "$(_mq_positional "$cmd" "$position")" "$first"
}

complete -o default -F _mq mq
`;
}
