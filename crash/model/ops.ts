// The file-system operations of a traced run, in the order they completed, with inodes resolved: what
// the persistence model reasons about. Each carries the command of the scenario that made it and the
// trace line, for reports.
import type { InodeId } from './image.js';

export interface Entry {
  parent: InodeId;
  name: string;
}

interface Origin {
  command: number;
  line: number;
  // The call as a person reads it: paths relative to the traced directory.
  label: string;
}

export type FsOp = Origin &
  (
    // A new directory entry for a new inode: open(O_CREAT) of a missing file, mkdir, symlink.
    | { kind: 'create'; at: Entry; inode: InodeId; type: 'file' | 'dir' | 'symlink'; target?: string }
    // A second name for an existing inode (link(2)).
    | { kind: 'link'; at: Entry; inode: InodeId }
    // An entry removed (unlink; rmdir: `dir`).
    | { kind: 'unlink'; at: Entry; inode: InodeId; dir: boolean }
    // One atomic step: `from` disappears, `to` names the inode (replacing what it named).
    | { kind: 'rename'; from: Entry; to: Entry; inode: InodeId }
    | { kind: 'write'; inode: InodeId; offset: number; data: Uint8Array }
    | { kind: 'truncate'; inode: InodeId; size: number }
    // fsync or fdatasync of a file or directory: what it covers is on disk once it returned.
    | { kind: 'sync'; inode: InodeId }
    // Bytes the command's process wrote to its stdout (the acknowledgements a promise is about).
    | { kind: 'output'; data: Uint8Array }
    // The command's process ended.
    | { kind: 'exit'; code: number | null }
  );

export type OpKind = FsOp['kind'];

export function describeOp(op: FsOp): string {
  const entry = (e: Entry) => `${e.parent}/${e.name}`;
  switch (op.kind) {
    case 'create': return `create ${op.type} ${entry(op.at)} = #${op.inode}`;
    case 'link': return `link #${op.inode} as ${entry(op.at)}`;
    case 'unlink': return `unlink ${entry(op.at)} (#${op.inode})`;
    case 'rename': return `rename ${entry(op.from)} -> ${entry(op.to)} (#${op.inode})`;
    case 'write': return `write #${op.inode} [${op.offset}, ${op.offset + op.data.length})`;
    case 'truncate': return `truncate #${op.inode} to ${op.size}`;
    case 'sync': return `sync #${op.inode}`;
    case 'output': return `output ${JSON.stringify(Buffer.from(op.data).toString('utf8').slice(0, 60))}`;
    case 'exit': return `exit ${op.code}`;
  }
}
