// The strace parser (crash/trace/strace.ts): calls, their arguments and results, calls split by another
// thread, and every byte of a written buffer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, fdArg, flagsArg, parseStrace, pathArg, splitArgs, stringArg } from '../../crash/trace/strace.js';

const hex = (text: string | Uint8Array) => [...(typeof text === 'string' ? Buffer.from(text, 'latin1') : text)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');

describe('parseStrace', () => {
  it('reads calls, arguments with descriptor paths, results and errors', () => {
    const calls = parseStrace([
      `101 openat(AT_FDCWD<${hex('/w')}>, "${hex('/w/home/q/tmp/x.new')}", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 18<${hex('/w/home/q/tmp/x.new')}>`,
      `101 write(18<${hex('/w/home/q/tmp/x.new')}>, "${hex('hi\n')}", 3) = 3`,
      `101 rename("${hex('/w/a')}", "${hex('/w/b')}") = -1 ENOENT (No such file or directory)`,
      '101 --- SIGCHLD {si_signo=SIGCHLD} ---',
      '101 exit_group(0)                     = ?',
      '101 +++ exited with 0 +++',
    ].join('\n'));
    expect(calls.map((c) => [c.name, c.result, c.errno, c.line])).toEqual([
      ['openat', 18, undefined, 1], ['write', 3, undefined, 2], ['rename', -1, 'ENOENT', 3], ['exit_group', null, undefined, 5],
    ]);
    expect(calls[0]!.resultPath).toBe('/w/home/q/tmp/x.new');
    expect(fdArg(calls[0]!.args[0]!)).toEqual({ fd: -100, path: '/w' });
    expect(pathArg(calls[0]!.args[1]!)).toBe('/w/home/q/tmp/x.new');
    expect([...flagsArg(calls[0]!.args[2]!)]).toEqual(['O_WRONLY', 'O_CREAT', 'O_EXCL', 'O_CLOEXEC']);
    expect(fdArg(calls[1]!.args[0]!)).toEqual({ fd: 18, path: '/w/home/q/tmp/x.new' });
    expect(Buffer.from(stringArg(calls[1]!.args[1]!)).toString()).toBe('hi\n');
  });

  it('joins a call another thread interrupted, in the order of its completion', () => {
    const calls = parseStrace([
      `7 fsync(19<${hex('/w/f')}> <unfinished ...>`,
      `8 write(1<${hex('/out')}>, "${hex('id\n')}", 3) = 3`,
      '7 <... fsync resumed>)              = 0',
    ].join('\n'));
    expect(calls.map((c) => [c.tid, c.name, c.result])).toEqual([[8, 'write', 3], [7, 'fsync', 0]]);
    expect(fdArg(calls[1]!.args[0]!).path).toBe('/w/f');
  });

  it('refuses a resumed call it never saw start, and a string strace cut short', () => {
    expect(() => parseStrace('7 <... fsync resumed>) = 0')).toThrow(/without its start/);
    expect(() => stringArg(`"${hex('abc')}"...`)).toThrow(/cut short/);
  });

  it('splits arguments at top-level commas only', () => {
    expect(splitArgs('a, {b, c}, [d, e], "\\x2c", f /* g, h */, i')).toEqual(['a', '{b, c}', '[d, e]', '"\\x2c"', 'f /* g, h */', 'i']);
    expect(splitArgs('{flags=CLONE_VM|CLONE_THREAD} => {parent_tid=[9]}, 88')).toEqual(['{flags=CLONE_VM|CLONE_THREAD} => {parent_tid=[9]}', '88']);
  });

  it('gives back every byte of any written buffer', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const [call] = parseStrace(`5 write(3<${hex('/w/x')}>, "${hex(bytes)}", ${bytes.length}) = ${bytes.length}\n`);
      expect(stringArg(call!.args[1]!)).toEqual(bytes);
      expect(decodeBytes(hex(bytes))).toEqual(bytes);
    }));
  });
});
