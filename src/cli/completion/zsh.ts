// The zsh completion script (_arguments based): commands with their summaries, options with their
// descriptions and values, and names asked from the store at completion time (`mq __complete KIND
// [STREAM]`, honouring a --home on the line): queues, streams, and the shards and groups of the stream
// on the line.
import { type Completion, type CompletionModel, type CompletionOption, allOptions } from './model.js';

// Text inside an _arguments spec: brackets and colons are special there; the whole spec is single-quoted.
function specText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`);
}

// An _arguments action. A leading space has _arguments call _mq_names with exactly these words (without it,
// _arguments would add its description options to them).
function action(completion: Completion): string {
  switch (completion.kind) {
    case 'queue':
      return ' _mq_names queues queue';
    case 'stream':
      return ' _mq_names streams stream';
    case 'name':
      return ' _mq_names names name';
    case 'shard':
      return ' _mq_names shards shard';
    case 'group':
      return ' _mq_names groups group';
    case 'command':
      return '_mq_commands';
    case 'program':
      return '_command_names -e';
    case 'choices':
      return `(${completion.values.join(' ')})`;
    case 'none':
      return ' ';
  }
}

function optionSpec(option: CompletionOption): string {
  const description = `[${specText(option.description)}]`;
  const value = option.value === null ? '' : `:${specText(option.long.replace(/^--/, ''))}:${action(option.value)}`;
  if (option.short) return `'(${option.short} ${option.long})'{${option.short},${option.long}}'${description}${value}'`;
  return `'${option.long}${description}${value}'`;
}

export function zshScript(model: CompletionModel): string {
  const valueOptions = [...allOptions(model).entries()].filter(([, o]) => o.value !== null).map(([name]) => name);
  const commandList = model.commands.map((c) => `    '${specText(c.name)}:${specText(c.summary)}'`);
  const cases = model.commands.map((c) => {
    const specs = [...c.options, ...model.globals].map(optionSpec);
    const last = c.positionals.length - 1;
    c.positionals.forEach((p, i) => {
      if (p.kind === 'program') {
        specs.push(`'${i + 1}:command:_command_names -e'`, `'*:argument:_files'`);
      } else {
        specs.push(`'${i === last && c.variadic ? '*' : String(i + 1)}:${c.name === 'help' ? 'command' : 'argument'}:${action(p)}'`);
      }
    });
    return `    (${c.name})\n      _arguments -s -S \\\n        ${specs.join(' \\\n        ')}\n      ;;`;
  });
  return `#compdef mq
# zsh completion for mq. Load it in this shell (after compinit):  source <(mq completion zsh)
# or for good: save it as _mq in a directory of your $fpath.

_mq_value_options=(${valueOptions.join(' ')})

# The command's first argument (words[1] is the command): the stream whose shards or groups to offer.
_mq_stream() {
  local i=2
  while (( i < CURRENT )); do
    if [[ $words[i] == -* ]]; then
      (( \${_mq_value_options[(Ie)$words[i]]} )) && (( i++ ))
    else
      print -r -- $words[i]
      return 0
    fi
    (( i++ ))
  done
  return 1
}

# Names of one kind ($1: queues, streams, names for both, shards, groups) from the store in use, offered
# as $2; mq prints only valid names, which need no quoting.
_mq_names() {
  local kind=$1 label=$2 stream
  local -a names
  if [[ $kind == names ]]; then
    names=(\${(f)"$(command mq $_mq_home __complete queues 2>/dev/null; command mq $_mq_home __complete streams 2>/dev/null)"})
  elif [[ $kind == (shards|groups) ]]; then
    stream=$(_mq_stream) || return 1
    names=(\${(f)"$(command mq $_mq_home __complete $kind $stream 2>/dev/null)"})
  else
    names=(\${(f)"$(command mq $_mq_home __complete $kind 2>/dev/null)"})
  fi
  _wanted $kind expl $label compadd -a names
}

_mq_commands() {
  local -a commands
  commands=(
${commandList.join('\n')}
  )
  _describe -t commands 'mq command' commands
}

_mq() {
  local curcontext=$curcontext state line ret=1
  typeset -ga _mq_home
  _mq_home=()
  local i=\${words[(i)--home]}
  (( i < CURRENT )) && _mq_home=(--home \${words[i+1]})
  _arguments -C -S \\
    ${model.globals.map(optionSpec).join(' \\\n    ')} \\
    '1:command:_mq_commands' \\
    '*::argument:->argument' && ret=0
  case $state in
    (argument)
      curcontext=\${curcontext%:*:*}:mq-$words[1]:
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
  return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _mq "$@"
else
  compdef _mq mq
fi
`;
}
