// Turns the system calls of one traced command into file-system operations on inodes (model/ops.ts). It
// replays them on a live view of the store (the page cache's view: every operation applied), which is how
// a path is resolved to the inode it named at that moment; it keeps each process's descriptor table
// (offsets, O_APPEND, close-on-exec; threads share one, a forked child gets a copy). Only what happens
// below `base` (the directory holding the store) is kept, plus the process's writes to its stdout and its
// exit. A call that touches the store in a way the model does not know fails loudly. Pure.
import path from 'node:path';
import type { Image, InodeId } from '../model/image.js';
import type { Entry, FsOp } from '../model/ops.js';
import { type Syscall, decodeEscapes, fdArg, flagsArg, numberArg, pathArg, splitArgs, stringArg } from './strace.js';

interface OpenFile {
  // The inode, for files and directories below base; undefined for anything else.
  inode?: InodeId;
  // What the descriptor is when it is not below base: 'stdout' for the command's own stdout.
  outside?: string;
  offset: number;
  append: boolean;
}

interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

type FdTable = Map<number, FdEntry>;

const AT_FDCWD = -100;

export class Translator {
  private readonly tables = new Map<number, FdTable>();
  private readonly cwd = new Map<number, string>();
  private mainPid: number | undefined;
  readonly ops: FsOp[] = [];
  private command = 0;
  private line = 0;
  // Whether the call being applied succeeded: a path below base that cannot be resolved is an error then.
  private succeeded = false;

  // `live` is mutated: it is the store as the running processes see it.
  constructor(private readonly base: string, readonly live: Image) {}

  // Translates one command's calls; `cwd` is the directory it ran in.
  translate(calls: Syscall[], command: number, cwd: string): FsOp[] {
    const start = this.ops.length;
    this.command = command;
    this.mainPid = undefined;
    for (const call of calls) {
      this.line = call.line;
      this.label = this.describe(call);
      if (this.mainPid === undefined) {
        this.mainPid = call.tid;
        this.tables.set(call.tid, new Map([
          [0, { file: { outside: 'stdin', offset: 0, append: false }, cloexec: false }],
          [1, { file: { outside: 'stdout', offset: 0, append: false }, cloexec: false }],
          [2, { file: { outside: 'stderr', offset: 0, append: false }, cloexec: false }],
        ]));
        this.cwd.set(call.tid, cwd);
      }
      try {
        this.apply(call);
      } catch (error) {
        throw new Error(`trace line ${call.line} (${call.name}): ${(error as Error).message}`);
      }
    }
    return this.ops.slice(start);
  }

  private emit(op: FsOp extends infer T ? (T extends FsOp ? Omit<T, 'command' | 'line' | 'label'> : never) : never): void {
    this.ops.push({ ...op, command: this.command, line: this.line, label: this.label } as FsOp);
  }

  // The current call, with paths relative to base, for reports.
  private label = '';

  private describe(call: Syscall): string {
    const shown = call.args.map((arg) => {
      const fd = /^(AT_FDCWD|-?\d+)<((?:\\x[0-9a-f]{2})*)>$/.exec(arg);
      if (fd) return this.relative(decodeEscapes(fd[2]!));
      if (/^"(\\x[0-9a-f]{2})*"$/.test(arg)) {
        const text = this.relative(decodeEscapes(arg.slice(1, Math.min(arg.length - 1, 1 + 4 * 400))));
        return text.length > 90 ? `${JSON.stringify(text.slice(0, 60))}...` : JSON.stringify(text);
      }
      return arg;
    });
    return `${call.name}(${shown.join(', ')})`;
  }

  private relative(file: string): string {
    return file.startsWith(`${this.base}/`) ? file.slice(this.base.length + 1) : file;
  }

  private table(tid: number): FdTable {
    const table = this.tables.get(tid);
    if (!table) throw new Error(`thread ${tid} was never seen being created`);
    return table;
  }

  private apply(call: Syscall): void {
    const { name, args, tid } = call;
    const ok = call.result !== null && call.result >= 0;
    this.succeeded = ok;
    switch (name) {
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork':
        if (ok) this.cloned(tid, call.result!, name === 'fork' || name === 'vfork' ? '' : args[name === 'clone3' ? 0 : 1] ?? args.join(','));
        return;
      case 'execve':
        if (ok) for (const [fd, entry] of this.table(tid)) if (entry.cloexec) this.table(tid).delete(fd);
        return;
      case 'exit_group':
        if (tid === this.mainPid || this.tables.get(tid) === this.tables.get(this.mainPid!)) this.emit({ kind: 'exit', code: numberArg(args[0]!) });
        return;
      case 'close':
        if (ok) this.table(tid).delete(fdArg(args[0]!).fd);
        return;
      case 'dup':
      case 'dup2':
      case 'dup3':
        if (ok) this.table(tid).set(call.result!, { file: this.fd(tid, args[0]!).file, cloexec: name === 'dup3' && args[2]?.includes('O_CLOEXEC') === true });
        return;
      case 'fcntl':
        if (ok && /^F_DUPFD/.test(args[1] ?? '')) this.table(tid).set(call.result!, { file: this.fd(tid, args[0]!).file, cloexec: args[1] === 'F_DUPFD_CLOEXEC' });
        if (ok && args[1] === 'F_SETFD') {
          const entry = this.table(tid).get(fdArg(args[0]!).fd);
          if (entry) entry.cloexec = args[2] === 'FD_CLOEXEC';
        }
        return;
      case 'open':
      case 'creat':
      case 'openat':
        if (ok) this.opened(call);
        return;
      case 'write':
      case 'pwrite64':
        if (ok) this.written(tid, args[0]!, stringArg(args[1]!).subarray(0, call.result!), name === 'pwrite64' ? numberArg(args[3]!) : null);
        return;
      case 'writev':
      case 'pwritev':
      case 'pwritev2':
        if (ok) this.written(tid, args[0]!, iovecBytes(args[1]!).subarray(0, call.result!), name === 'writev' ? null : numberArg(args[3]!));
        return;
      case 'fsync':
      case 'fdatasync': {
        const file = this.fd(tid, args[0]!).file;
        if (ok && file.inode !== undefined) this.emit({ kind: 'sync', inode: file.inode });
        return;
      }
      case 'ftruncate': {
        const file = this.fd(tid, args[0]!).file;
        if (ok && file.inode !== undefined) this.truncated(file.inode, numberArg(args[1]!));
        return;
      }
      case 'truncate': {
        const target = this.resolve(tid, AT_FDCWD, pathArg(args[0]!));
        if (ok && target) this.truncated(this.existing(target), numberArg(args[1]!));
        return;
      }
      case 'mkdir':
      case 'mkdirat': {
        const [dirfd, file] = name === 'mkdir' ? [AT_FDCWD, args[0]!] : [this.dirfd(args[0]!), args[1]!];
        const target = this.resolve(tid, dirfd, pathArg(file));
        if (ok && target) this.created(target, 'dir');
        return;
      }
      case 'symlink':
      case 'symlinkat': {
        const [dirfd, file] = name === 'symlink' ? [AT_FDCWD, args[1]!] : [this.dirfd(args[1]!), args[2]!];
        const target = this.resolve(tid, dirfd, pathArg(file));
        if (ok && target) this.created(target, 'symlink', pathArg(args[0]!));
        return;
      }
      case 'link':
      case 'linkat': {
        const [from, to] = name === 'link'
          ? [this.resolve(tid, AT_FDCWD, pathArg(args[0]!)), this.resolve(tid, AT_FDCWD, pathArg(args[1]!))]
          : [this.resolve(tid, this.dirfd(args[0]!), pathArg(args[1]!)), this.resolve(tid, this.dirfd(args[2]!), pathArg(args[3]!))];
        if (!ok || (!from && !to)) return;
        if (!from || !to) throw new Error('a link across the edge of the store');
        const inode = this.existing(from);
        this.live.dir(to.parent)!.set(to.name, inode);
        this.emit({ kind: 'link', at: to, inode });
        return;
      }
      case 'unlink':
      case 'rmdir':
      case 'unlinkat': {
        const [dirfd, file] = name === 'unlinkat' ? [this.dirfd(args[0]!), args[1]!] : [AT_FDCWD, args[0]!];
        const target = this.resolve(tid, dirfd, pathArg(file));
        if (ok && target) {
          const inode = this.existing(target);
          const dir = this.live.node(inode)?.kind === 'dir';
          this.live.dir(target.parent)!.delete(target.name);
          this.emit({ kind: 'unlink', at: target, inode, dir });
        }
        return;
      }
      case 'rename':
      case 'renameat':
      case 'renameat2': {
        const [from, to] = name === 'rename'
          ? [this.resolve(tid, AT_FDCWD, pathArg(args[0]!)), this.resolve(tid, AT_FDCWD, pathArg(args[1]!))]
          : [this.resolve(tid, this.dirfd(args[0]!), pathArg(args[1]!)), this.resolve(tid, this.dirfd(args[2]!), pathArg(args[3]!))];
        if (!ok || (!from && !to)) return;
        if (!from || !to) throw new Error('a rename across the edge of the store');
        if (name === 'renameat2' && args[4]?.includes('RENAME_EXCHANGE')) throw new Error('RENAME_EXCHANGE is not modelled');
        const inode = this.existing(from);
        this.live.dir(from.parent)!.delete(from.name);
        this.live.dir(to.parent)!.set(to.name, inode);
        this.emit({ kind: 'rename', from, to, inode });
        return;
      }
      case 'utimensat':
        return; // times are not part of any promise
      case 'fallocate':
      case 'copy_file_range':
      case 'sendfile':
      case 'sync_file_range': {
        const file = this.fd(tid, args[0]!).file;
        if (ok && file.inode !== undefined) throw new Error(`${name} on a file of the store is not modelled`);
        return;
      }
      default:
        return;
    }
  }

  private cloned(parent: number, child: number, flags: string): void {
    const table = this.table(parent);
    const shared = flags.includes('CLONE_FILES') || flags.includes('CLONE_THREAD');
    this.tables.set(child, shared ? table : new Map([...table].map(([fd, entry]) => [fd, { ...entry }])));
    this.cwd.set(child, this.cwd.get(parent)!);
  }

  private fd(tid: number, arg: string): FdEntry {
    const { fd } = fdArg(arg);
    // A descriptor no traced call opened (a pipe, an eventfd, an epoll instance) is not a file of the store.
    return this.table(tid).get(fd) ?? { file: { outside: 'untracked', offset: 0, append: false }, cloexec: false };
  }

  private dirfd(arg: string): number {
    return fdArg(arg).fd;
  }

  // The entry `file` names (relative to `dirfd`), if it is below base; null outside.
  private resolve(tid: number, dirfd: number, file: string): Entry | null {
    let dir: string;
    if (file.startsWith('/')) dir = '';
    else if (dirfd === AT_FDCWD) dir = this.cwd.get(tid)!;
    else {
      const entry = this.table(tid).get(dirfd);
      if (!entry || entry.file.inode === undefined) return null;
      dir = this.pathOf(entry.file.inode);
    }
    const full = path.resolve(dir || '/', file);
    const rel = path.relative(this.base, full);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
    const parts = rel.split('/');
    const parent = this.live.lookup(parts.slice(0, -1));
    if (parent === undefined || !this.live.dir(parent)) {
      if (this.succeeded) throw new Error(`${rel} succeeded, but its directory is not in the live view`);
      return null;
    }
    return { parent, name: parts.at(-1)! };
  }

  // The absolute path of a directory inode in the live view.
  private pathOf(inode: InodeId): string {
    for (const [rel, id] of this.live.walk()) if (id === inode) return path.join(this.base, rel);
    if (inode === this.live.root) return this.base;
    throw new Error(`directory #${inode} is no longer in the store`);
  }

  private existing(entry: Entry): InodeId {
    const inode = this.live.dir(entry.parent)!.get(entry.name);
    if (inode === undefined) throw new Error(`${entry.name} is not in the live view`);
    return inode;
  }

  private created(at: Entry, type: 'file' | 'dir' | 'symlink', target?: string): InodeId {
    const inode = this.live.allocate();
    this.live.nodes.set(inode, type === 'dir' ? { kind: 'dir', entries: new Map() } : type === 'file' ? { kind: 'file', data: new Uint8Array(0) } : { kind: 'symlink', target: target! });
    this.live.dir(at.parent)!.set(at.name, inode);
    this.emit(type === 'symlink' ? { kind: 'create', at, inode, type, target: target! } : { kind: 'create', at, inode, type });
    return inode;
  }

  private truncated(inode: InodeId, size: number): void {
    this.live.truncate(inode, size);
    this.emit({ kind: 'truncate', inode, size });
  }

  private opened(call: Syscall): void {
    const { tid, name, args } = call;
    const [dirfd, file, flagText] = name === 'openat' ? [this.dirfd(args[0]!), args[1]!, args[2]!] : [AT_FDCWD, args[0]!, name === 'creat' ? 'O_CREAT|O_WRONLY|O_TRUNC' : args[1]!];
    const flags = flagsArg(flagText);
    const target = this.resolve(tid, dirfd, pathArg(file));
    const entry: FdEntry = { file: { offset: 0, append: flags.has('O_APPEND') }, cloexec: flags.has('O_CLOEXEC') };
    if (call.resultPath === this.base) {
      entry.file.inode = this.live.root;
    } else if (target) {
      let inode = this.live.dir(target.parent)!.get(target.name);
      if (inode === undefined) {
        if (!flags.has('O_CREAT')) throw new Error(`opened ${target.name}, which the live view does not have`);
        inode = this.created(target, 'file');
      } else if (flags.has('O_TRUNC') && this.live.node(inode)?.kind === 'file' && (this.live.node(inode) as { data: Uint8Array }).data.length > 0) {
        this.truncated(inode, 0);
      }
      entry.file.inode = inode;
    } else {
      entry.file.outside = call.resultPath ?? pathArg(file);
    }
    this.table(tid).set(call.result!, entry);
  }

  private written(tid: number, fdText: string, data: Uint8Array, position: number | null): void {
    const { file } = this.fd(tid, fdText);
    if (file.inode === undefined) {
      if (file.outside === 'stdout' && this.table(tid) === this.tables.get(this.mainPid!)) this.emit({ kind: 'output', data });
      return;
    }
    const node = this.live.node(file.inode);
    if (node?.kind !== 'file') throw new Error('a write to something that is not a file');
    const offset = position ?? (file.append ? node.data.length : file.offset);
    this.live.write(file.inode, offset, data);
    if (position === null) file.offset = offset + data.length;
    if (data.length > 0) this.emit({ kind: 'write', inode: file.inode, offset, data });
  }
}

// The bytes of an iovec array argument: [{iov_base="...", iov_len=N}, ...].
function iovecBytes(arg: string): Uint8Array {
  const inner = arg.replace(/^\[|\]$/g, '');
  const parts = splitArgs(inner).map((vec) => {
    const base = /iov_base=("(?:\\x[0-9a-f]{2})*"(?:\.\.\.)?)/.exec(vec);
    if (!base) throw new Error(`unreadable iovec ${vec.slice(0, 60)}`);
    return stringArg(base[1]!);
  });
  return Buffer.concat(parts);
}
