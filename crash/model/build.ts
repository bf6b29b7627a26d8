// Builds the disk image of a crash state: the image before the run, then, in the order they were made,
// the parts of operations whose units are on disk. A name whose directory never reached disk is not
// reachable (as after fsck, it is gone). Pure.
import { Image } from './image.js';
import type { FsOp } from './ops.js';
import type { Persistence } from './persistence.js';

export function buildImage(initial: Image, ops: FsOp[], p: Persistence, persisted: Iterable<number>): Image {
  const image = initial.clone();
  const byOp = new Map<number, number[]>();
  let last = -1;
  for (const id of persisted) {
    const unit = p.units[id]!;
    const list = byOp.get(unit.op) ?? [];
    list.push(id);
    byOp.set(unit.op, list);
    last = Math.max(last, unit.op);
  }
  for (let index = 0; index <= last; index++) {
    const op = ops[index]!;
    // Every inode the run made exists (perhaps unreachable), so data can reach it without its name.
    if (op.kind === 'create' && !image.nodes.has(op.inode)) {
      image.reserveUpTo(op.inode);
      image.nodes.set(op.inode, op.type === 'dir' ? { kind: 'dir', entries: new Map() } : op.type === 'file' ? { kind: 'file', data: new Uint8Array(0) } : { kind: 'symlink', target: op.target! });
    }
    const units = byOp.get(index);
    if (!units) continue;
    switch (op.kind) {
      case 'create':
      case 'link':
        image.dir(op.at.parent)?.set(op.at.name, op.inode);
        break;
      case 'unlink': {
        const dir = image.dir(op.at.parent);
        if (dir?.get(op.at.name) === op.inode) dir.delete(op.at.name);
        break;
      }
      case 'rename': {
        const from = image.dir(op.from.parent);
        if (from?.get(op.from.name) === op.inode) from.delete(op.from.name);
        image.dir(op.to.parent)?.set(op.to.name, op.inode);
        break;
      }
      case 'truncate':
        image.truncate(op.inode, op.size);
        break;
      case 'write':
        for (const id of units) {
          const unit = p.units[id]!;
          if (unit.kind === 'grow') {
            const node = image.node(op.inode);
            if (node?.kind === 'file' && node.data.length < unit.size) image.truncate(op.inode, unit.size);
          } else if (unit.kind === 'piece') {
            image.write(op.inode, op.offset + unit.from, op.data.subarray(unit.from, unit.to));
          }
        }
        break;
      default:
        break;
    }
  }
  return image;
}

// What the commands had printed and whether each had finished, when `at` ops had completed.
export interface Promised {
  // Per command: its stdout so far.
  stdout: string[];
  // Per command: whether it had exited, and with which status.
  exited: (number | null | undefined)[];
  // Per command: whether it had started (made any operation).
  started: boolean[];
}

export function promisedAt(ops: FsOp[], at: number, commands: number): Promised {
  const stdout = Array.from({ length: commands }, () => [] as Uint8Array[]);
  const exited: (number | null | undefined)[] = new Array(commands).fill(undefined);
  const started = new Array<boolean>(commands).fill(false);
  for (const op of ops.slice(0, at)) {
    started[op.command] = true;
    if (op.kind === 'output') stdout[op.command]!.push(op.data);
    if (op.kind === 'exit') exited[op.command] = op.code;
  }
  return { stdout: stdout.map((parts) => Buffer.concat(parts).toString('utf8')), exited, started };
}
