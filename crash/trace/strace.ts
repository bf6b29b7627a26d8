// Parses the output of `strace -f -qq -y -xx` into system calls, in the order they completed. With -xx
// every string (paths, written data) is printed as \xNN escapes, so it decodes to its exact bytes; -y
// adds the path of each descriptor in angle brackets (also \xNN-escaped). A call that another thread
// interrupted is printed in two parts (`<unfinished ...>`, then `<... name resumed>`); they are joined,
// and the call takes its place in the order at its completion. Pure: text in, records out.

export interface Syscall {
  // The thread that made the call (strace -f prefixes each line with it).
  tid: number;
  name: string;
  // The arguments, split at top-level commas, as printed (see the value readers below).
  args: string[];
  // The return value: a number, or null for calls that do not return (exit_group: `= ?`).
  result: number | null;
  // The errno name of a failed call (`= -1 ENOENT (...)`).
  errno?: string;
  // What -y printed after the return value: the path of a returned descriptor.
  resultPath?: string;
  // 1-based line of the trace where the call completed, for messages.
  line: number;
}

const CALL = /^(\d+) +([a-z_0-9]+)\((.*)$/s;
const RESUMED = /^(\d+) +<\.\.\. ([a-z_0-9]+) resumed>(.*)$/s;
const UNFINISHED = ' <unfinished ...>';

export function parseStrace(text: string): Syscall[] {
  const calls: Syscall[] = [];
  const pending = new Map<number, { name: string; head: string }>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const tid = Number(resumed[1]);
      const head = pending.get(tid);
      if (!head || head.name !== resumed[2]) throw new Error(`trace line ${i + 1}: a resumed ${resumed[2]} without its start`);
      pending.delete(tid);
      calls.push(finishCall(tid, head.name, head.head + resumed[3]!, i + 1));
      continue;
    }
    const call = CALL.exec(line);
    if (!call) continue; // signals (--- SIGCHLD ---), exits (+++ exited +++) and strace's own notes
    const tid = Number(call[1]);
    const rest = call[3]!;
    if (rest.endsWith(UNFINISHED)) {
      pending.set(tid, { name: call[2]!, head: rest.slice(0, -UNFINISHED.length) });
      continue;
    }
    calls.push(finishCall(tid, call[2]!, rest, i + 1));
  }
  return calls;
}

// `rest` is everything after the opening parenthesis: `args) = result`.
function finishCall(tid: number, name: string, rest: string, line: number): Syscall {
  const close = closingParen(rest);
  if (close === -1) throw new Error(`trace line ${line}: no closing parenthesis in ${name}(${rest}`);
  const args = splitArgs(rest.slice(0, close));
  const outcome = /^\)\s*=\s*(\?|-?\d+|0x[0-9a-f]+)(?:<((?:\\x[0-9a-f]{2})*)>)?(?:\s+([A-Z][A-Z0-9_]*))?/.exec(rest.slice(close));
  if (!outcome) {
    // A call that never returned (exit_group, or a thread ended by another's exit).
    return { tid, name, args, result: null, line };
  }
  const call: Syscall = { tid, name, args, result: outcome[1] === '?' ? null : Number(outcome[1]), line };
  if (outcome[2] !== undefined) call.resultPath = decodeEscapes(outcome[2]);
  if (outcome[3] !== undefined && call.result === -1) call.errno = outcome[3];
  return call;
}

// The index of the parenthesis that closes the argument list (strings and nested brackets skipped).
function closingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = endOfString(text, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return text[i + 1] === '.' && text.startsWith('...', i + 1) ? i + 3 : i;
  }
  return text.length;
}

// Splits an argument list at its top-level commas.
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = endOfString(text, i);
    else if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || (c === '>' && text[i - 1] !== '=')) depth--;
    else if (c === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) + 1;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim() !== '') args.push(text.slice(start).trim());
  return args;
}

// The bytes of a \xNN-escaped string.
export function decodeEscapes(text: string): string {
  return Buffer.from(decodeBytes(text)).toString('latin1');
}

export function decodeBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length / 4);
  for (let i = 0; i < bytes.length; i++) {
    if (text[i * 4] !== '\\' || text[i * 4 + 1] !== 'x') throw new Error(`not a \\xNN string: ${text.slice(0, 40)}`);
    bytes[i] = parseInt(text.slice(i * 4 + 2, i * 4 + 4), 16);
  }
  return bytes;
}

// Readers of single arguments.

// A quoted string argument as bytes (`"\x61\x62"`); strace marks a string it cut short with `...`.
export function stringArg(arg: string): Uint8Array {
  const m = /^"((?:\\x[0-9a-f]{2})*)"(\.\.\.)?$/.exec(arg);
  if (!m) throw new Error(`not a string argument: ${arg.slice(0, 60)}`);
  if (m[2]) throw new Error('a string argument was cut short (raise strace -s)');
  return decodeBytes(m[1]!);
}

export function pathArg(arg: string): string {
  return Buffer.from(stringArg(arg)).toString('latin1');
}

// A descriptor argument: `18<\x2f...>` gives 18 and the path -y printed, `AT_FDCWD<...>` gives -100.
export function fdArg(arg: string): { fd: number; path?: string } {
  const m = /^(AT_FDCWD|-?\d+)(?:<((?:\\x[0-9a-f]{2})*)>)?$/.exec(arg);
  if (!m) throw new Error(`not a descriptor argument: ${arg.slice(0, 60)}`);
  const fd = m[1] === 'AT_FDCWD' ? -100 : Number(m[1]);
  return m[2] === undefined ? { fd } : { fd, path: decodeEscapes(m[2]) };
}

export function flagsArg(arg: string): Set<string> {
  return new Set(arg.split('|').map((flag) => flag.trim()));
}

export function numberArg(arg: string): number {
  const value = Number(arg);
  if (!Number.isFinite(value)) throw new Error(`not a number argument: ${arg}`);
  return value;
}
