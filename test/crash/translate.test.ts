// Translating system calls into operations on inodes (crash/trace/translate.ts): paths resolved in the
// live view, descriptors per process (offsets, O_APPEND, dup, close-on-exec, threads sharing a table, a
// fork copying it), output and exit of the command's process only, and a loud failure on what the model
// does not know.
import { describe, expect, it } from 'vitest';
import { Image } from '../../crash/model/image.js';
import { describeOp } from '../../crash/model/ops.js';
import { parseStrace } from '../../crash/trace/strace.js';
import { Translator } from '../../crash/trace/translate.js';

const hex = (text: string) => [...Buffer.from(text, 'latin1')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const str = (text: string) => `"${hex(text)}"`;
const fd = (n: number, file: string) => `${n}<${hex(file)}>`;
const CWD = `AT_FDCWD<${hex('/w')}>`;

function translate(lines: string[], live = new Image()): { t: Translator; ops: string[] } {
  const t = new Translator('/w', live);
  t.translate(parseStrace(lines.join('\n')), 0, '/w');
  return { t, ops: t.ops.map(describeOp) };
}

function tree(image: Image): string[] {
  return [...image.walk()].map(([path, , node]) => (node.kind === 'file' ? `${path}=${Buffer.from(node.data).toString('latin1')}` : node.kind === 'dir' ? `${path}/` : `${path}->${node.target}`));
}

describe('Translator', () => {
  it('turns the calls of a send into creates, writes, syncs and renames, and tracks the live tree', () => {
    const { t, ops } = translate([
      `1 mkdir(${str('/w/q')}, 0700) = 0`,
      `1 mkdir(${str('/w/q/tmp')}, 0700) = 0`,
      `1 openat(${CWD}, ${str('/w/q/tmp/m.new')}, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 5<${hex('/w/q/tmp/m.new')}>`,
      `1 write(${fd(5, '/w/q/tmp/m.new')}, ${str('hello')}, 5) = 5`,
      `1 write(${fd(5, '/w/q/tmp/m.new')}, ${str(' world')}, 6) = 3`,
      `1 clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD} => {parent_tid=[2]}, 88) = 2`,
      `2 fsync(${fd(5, '/w/q/tmp/m.new')}) = 0`,
      `1 close(${fd(5, '/w/q/tmp/m.new')}) = 0`,
      `1 rename(${str('/w/q/tmp/m.new')}, ${str('/w/q/m')}) = 0`,
      `1 rename(${str('/w/q/tmp/gone')}, ${str('/w/q/x')}) = -1 ENOENT (No such file or directory)`,
      `1 openat(${CWD}, ${str('/w/q')}, O_RDONLY|O_CLOEXEC) = 6<${hex('/w/q')}>`,
      `1 fsync(${fd(6, '/w/q')}) = 0`,
      `1 openat(${CWD}, ${str('/usr/lib/x.so')}, O_RDONLY) = 7<${hex('/usr/lib/x.so')}>`,
      `1 write(${fd(7, '/usr/lib/x.so')}, ${str('ignored')}, 7) = 7`,
      `1 write(1<${hex('/dev/pts/0')}>, ${str('id\n')}, 3) = 3`,
      `1 exit_group(0) = ?`,
    ]);
    expect(ops).toEqual([
      'create dir 1/q = #2', 'create dir 2/tmp = #3', 'create file 3/m.new = #4', 'write #4 [0, 5)', 'write #4 [5, 8)', 'sync #4',
      'rename 3/m.new -> 2/m (#4)', 'sync #2', 'output "id\\n"', 'exit 0',
    ]);
    expect(tree(t.live)).toEqual(['q/', 'q/m=hello wo', 'q/tmp/']);
    expect(t.ops[2]!.label).toBe('openat(/w, "q/tmp/m.new", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)');
  });

  it('writes at the descriptor offset, at the end with O_APPEND, where pwrite says, and truncates', () => {
    const live = new Image();
    const file = live.allocate();
    live.nodes.set(file, { kind: 'file', data: Buffer.from('abcdef') });
    live.dir(live.root)!.set('f', file);
    const { t, ops } = translate([
      `1 openat(${CWD}, ${str('f')}, O_RDWR|O_APPEND) = 3<${hex('/w/f')}>`,
      `1 write(${fd(3, '/w/f')}, ${str('XY')}, 2) = 2`,
      `1 dup(${fd(3, '/w/f')}) = 4<${hex('/w/f')}>`,
      `1 pwrite64(${fd(4, '/w/f')}, ${str('zz')}, 2, 1) = 2`,
      `1 ftruncate(${fd(4, '/w/f')}, 7) = 0`,
      `1 openat(${CWD}, ${str('/w/f')}, O_WRONLY|O_TRUNC) = 5<${hex('/w/f')}>`,
      `1 write(${fd(5, '/w/f')}, ${str('new')}, 3) = 3`,
    ], live);
    expect(ops).toEqual(['write #2 [6, 8)', 'write #2 [1, 3)', 'truncate #2 to 7', 'truncate #2 to 0', 'write #2 [0, 3)']);
    expect(tree(t.live)).toEqual(['f=new']);
  });

  it('shares descriptors between threads, copies them for a fork, drops close-on-exec ones at exec, and keeps only the command\'s output', () => {
    const { ops } = translate([
      `1 openat(${CWD}, ${str('/w/a')}, O_WRONLY|O_CREAT|O_CLOEXEC, 0600) = 3<${hex('/w/a')}>`,
      `1 clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD, child_tid=0x1} => {parent_tid=[2]}, 88) = 2`,
      `2 write(${fd(3, '/w/a')}, ${str('t')}, 1) = 1`,
      `1 clone(child_stack=NULL, flags=SIGCHLD) = 9`,
      `9 execve(${str('/bin/true')}, [], 0x0) = 0`,
      `9 write(1<${hex('/dev/null')}>, ${str('child\n')}, 6) = 6`,
      `9 exit_group(0) = ?`,
      `2 write(1<${hex('/dev/null')}>, ${str('main\n')}, 5) = 5`,
    ]);
    expect(ops).toEqual(['create file 1/a = #2', 'write #2 [0, 1)', 'output "main\\n"']);
    expect(() => translate([
      `1 openat(${CWD}, ${str('/w/a')}, O_WRONLY|O_CREAT|O_CLOEXEC, 0600) = 3<${hex('/w/a')}>`,
      `1 clone(child_stack=NULL, flags=SIGCHLD) = 9`,
      `9 execve(${str('/bin/true')}, [], 0x0) = 0`,
      `9 write(${fd(3, '/w/a')}, ${str('x')}, 1) = 1`,
    ])).not.toThrow();
  });

  it('models symbolic links, hard links, unlink and rmdir', () => {
    const { t, ops } = translate([
      `1 symlink(${str('123 456')}, ${str('/w/lock')}) = 0`,
      `1 link(${str('/w/lock')}, ${str('/w/lock2')}) = 0`,
      `1 unlink(${str('/w/lock')}) = 0`,
      `1 mkdir(${str('/w/d')}, 0700) = 0`,
      `1 rmdir(${str('/w/d')}) = 0`,
    ]);
    expect(ops).toEqual(['create symlink 1/lock = #2', 'link #2 as 1/lock2', 'unlink 1/lock (#2)', 'create dir 1/d = #3', 'unlink 1/d (#3)']);
    expect(tree(t.live)).toEqual(['lock2->123 456']);
  });

  it('fails on what it cannot model: a call on a store file it does not know, a path the live view lacks', () => {
    expect(() => translate([
      `1 openat(${CWD}, ${str('/w/a')}, O_WRONLY|O_CREAT, 0600) = 3<${hex('/w/a')}>`,
      `1 fallocate(${fd(3, '/w/a')}, 0, 0, 4096) = 0`,
    ])).toThrow(/fallocate on a file of the store is not modelled/);
    expect(() => translate([`1 rename(${str('/w/nothing')}, ${str('/w/b')}) = 0`])).toThrow(/not in the live view/);
    expect(() => translate([`1 mkdir(${str('/w/no/such')}, 0700) = 0`])).toThrow(/its directory is not in the live view/);
  });
});
