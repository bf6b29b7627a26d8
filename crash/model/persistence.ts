// The persistence model: which of a run's operations may be on disk after a power cut at a given point.
// Conservative, after ALICE's abstract persistence model (Pillai et al., "All File Systems Are Not
// Created Equal", OSDI 2014), with the one property every journaling Linux file system has added:
//
//  - Every directory operation (create, mkdir, symlink, link, unlink, rmdir, rename) is one unit: on
//    disk whole or not at all (a rename moves the name in one step: it is atomic on ext4, xfs and btrfs,
//    where ALICE found it so). It is certainly on disk once the directory whose entries it changed (for
//    a rename, either of the two) was fsynced after it. Unsynced, it may be lost, whatever happened after
//    it: even a rename into a directory whose own creation is lost (the file is then unreachable), or an
//    rmdir whose emptying renames are lost (the same).
//  - Data written to a file is split into sectors (512 bytes, at file offsets), each a unit, and so is
//    each truncate. fsync or fdatasync of the file puts every earlier one on disk. fsync of a file
//    does not put its name on disk (only its directory's fsync does).
//  - Units of different files and directories persist independently, in any order.
//  - Data of one file, unsynced, persists:
//      'ordered' (ext4 data=ordered, the default; xfs; btrfs): as a prefix, in the order written: a
//        file never shows bytes past a lost sector, its size never covers data that did not reach disk;
//      'writeback' (ext4 data=writeback; ALICE's default): any subset of sectors; a file's size may
//        reach disk before its data, so a lost sector below the size reads as zeros.
//  - Nothing of an operation that had not completed before the cut is on disk.
//  - One ordering beyond ALICE's, the causal one ('causal', on by default): an operation reaches the
//    disk only with the operations it needed in order to succeed. A name put into a directory made in
//    the run needs that directory's creation; a name removed or renamed needs the operation that made
//    that name; an rmdir needs the removals that emptied the directory.
//    So the tree on disk stays a tree (nothing orphaned, as a journal committed in order (ext4, xfs) or
//    whole transactions (btrfs) guarantee). Without it ('causal' off: ext2, or a file system that
//    repairs its tree into lost+found), a file renamed into a new directory can vanish with it.
// Pure.
import type { Entry, FsOp } from './ops.js';
import type { InodeId } from './image.js';

export type DataMode = 'ordered' | 'writeback';

export interface ModelOptions {
  data: DataMode;
  sector: number;
  causal: boolean;
}

export const DEFAULT_MODEL: ModelOptions = { data: 'ordered', sector: 512, causal: true };

export type Unit =
  // A directory operation; `dirs`: the directories whose fsync puts it on disk.
  | { id: number; op: number; kind: 'entry'; dirs: InodeId[] }
  // Bytes [from, to) of a write op's data.
  | { id: number; op: number; kind: 'piece'; inode: InodeId; from: number; to: number }
  | { id: number; op: number; kind: 'truncate'; inode: InodeId }
  // 'writeback' only: an extending write's new size reached disk (the gap reads as zeros).
  | { id: number; op: number; kind: 'grow'; inode: InodeId; size: number };

export interface Persistence {
  units: Unit[];
  // For each unit, the units it needs on disk with it (the causal ordering; empty without it).
  needs: number[][];
  // For each unit, the index of the first sync op that puts it on disk (ops.length when none does).
  forcedAt: number[];
  // Units in the order of their ops, grouped per file for data: `chains[i]` lists the data units of
  // one inode in write order ('ordered' mode makes each persist as a prefix).
  chains: Map<InodeId, number[]>;
  options: ModelOptions;
}

export function unitsOf(ops: FsOp[], options: ModelOptions = DEFAULT_MODEL): Persistence {
  const units: Unit[] = [];
  const chains = new Map<InodeId, number[]>();
  const sizes = new Map<InodeId, number>();
  const add = (unit: Unit extends infer U ? (U extends Unit ? Omit<U, 'id'> : never) : never) => {
    const full = { ...unit, id: units.length } as Unit;
    units.push(full);
    if (full.kind !== 'entry') {
      const chain = chains.get(full.inode) ?? [];
      chain.push(full.id);
      chains.set(full.inode, chain);
    }
  };
  ops.forEach((op, index) => {
    switch (op.kind) {
      case 'create':
      case 'link':
      case 'unlink':
        add({ op: index, kind: 'entry', dirs: [op.at.parent] });
        if (op.kind === 'create' && op.type === 'file') sizes.set(op.inode, 0);
        return;
      case 'rename':
        add({ op: index, kind: 'entry', dirs: op.from.parent === op.to.parent ? [op.to.parent] : [op.from.parent, op.to.parent] });
        return;
      case 'truncate':
        add({ op: index, kind: 'truncate', inode: op.inode });
        sizes.set(op.inode, op.size);
        return;
      case 'write': {
        const end = op.offset + op.data.length;
        const before = sizes.get(op.inode);
        if (options.data === 'writeback' && before !== undefined && end > before) add({ op: index, kind: 'grow', inode: op.inode, size: end });
        if (before !== undefined) sizes.set(op.inode, Math.max(before, end));
        let from = 0;
        while (from < op.data.length) {
          const sectorEnd = (Math.floor((op.offset + from) / options.sector) + 1) * options.sector;
          const to = Math.min(op.data.length, sectorEnd - op.offset);
          add({ op: index, kind: 'piece', inode: op.inode, from, to });
          from = to;
        }
        return;
      }
      default:
        return;
    }
  });
  return { units, needs: options.causal ? causalNeeds(ops, units) : units.map(() => []), forcedAt: forcedAt(ops, units), chains, options };
}

// A name put into a directory needs the directory's creation; a name taken away (unlink, or the source
// of a rename) needs the operation that made that name; an rmdir needs the removals that emptied it.
function causalNeeds(ops: FsOp[], units: Unit[]): number[][] {
  const needs = units.map(() => [] as number[]);
  const madeBy = new Map<InodeId, number>();
  const namedBy = new Map<string, number>();
  const emptiedBy = new Map<InodeId, number[]>();
  const key = (entry: Entry) => `${entry.parent}/${entry.name}`;
  const need = (unit: number, on: number | undefined) => {
    if (on !== undefined) needs[unit]!.push(on);
  };
  for (const unit of units) {
    if (unit.kind !== 'entry') continue;
    const op = ops[unit.op]!;
    if (op.kind === 'unlink' || op.kind === 'rename') {
      const from = op.kind === 'rename' ? op.from : op.at;
      need(unit.id, namedBy.get(key(from)));
      namedBy.delete(key(from));
      emptiedBy.set(from.parent, [...(emptiedBy.get(from.parent) ?? []), unit.id]);
      if (op.kind === 'unlink' && op.dir) needs[unit.id]!.push(...(emptiedBy.get(op.inode) ?? []));
    }
    if (op.kind === 'create' || op.kind === 'link' || op.kind === 'rename') {
      const to = op.kind === 'rename' ? op.to : op.at;
      need(unit.id, madeBy.get(to.parent));
      namedBy.set(key(to), unit.id);
    }
    if (op.kind === 'create' && op.type === 'dir') madeBy.set(op.inode, unit.id);
  }
  return needs;
}

function forcedAt(ops: FsOp[], units: Unit[]): number[] {
  const result = new Array<number>(units.length).fill(ops.length);
  // Units not yet on disk for sure, by the inode whose sync would put them there.
  const waiting = new Map<InodeId, number[]>();
  const wait = (inode: InodeId, unit: number) => {
    const list = waiting.get(inode) ?? [];
    list.push(unit);
    waiting.set(inode, list);
  };
  let next = 0;
  ops.forEach((op, index) => {
    for (; next < units.length && units[next]!.op === index; next++) {
      const unit = units[next]!;
      if (unit.kind === 'entry') for (const dir of unit.dirs) wait(dir, unit.id);
      else wait(unit.inode, unit.id);
    }
    if (op.kind !== 'sync') return;
    for (const unit of waiting.get(op.inode) ?? []) result[unit] = Math.min(result[unit]!, index);
    waiting.delete(op.inode);
  });
  return result;
}

// What may be on disk after a cut following op `at - 1` (so `at` ops completed): `forced` certainly,
// any choice among `free` (subject to the data mode; see choicesAt).
export interface Cut {
  at: number;
  forced: number[];
  free: number[];
}

export function cutAt(p: Persistence, at: number): Cut {
  const forced = new Set<number>();
  const force = (id: number) => {
    if (forced.has(id)) return;
    forced.add(id);
    for (const need of p.needs[id]!) force(need);
  };
  let issued = 0;
  for (const unit of p.units) {
    if (unit.op >= at) break;
    issued++;
    if (p.forcedAt[unit.id]! < at) force(unit.id);
  }
  const free: number[] = [];
  for (let id = 0; id < issued; id++) if (!forced.has(id)) free.push(id);
  return { at, forced: [...forced].sort((a, b) => a - b), free };
}

// The units of a state: `forced` and `chosen`, less every chosen unit whose needs are not all there.
export function closeState(p: Persistence, forced: number[], chosen: number[]): number[] {
  const on = new Set(forced);
  for (const id of [...chosen].sort((a, b) => a - b)) if (p.needs[id]!.every((need) => on.has(need))) on.add(id);
  return [...on].sort((a, b) => a - b);
}

// The independent choices of a cut: each is a list of options, each option the units it puts on disk.
// A directory operation is on or off; an 'ordered' file's free data units persist as one of their
// prefixes; a 'writeback' file's units each on or off.
export function choicesAt(p: Persistence, cut: Cut): number[][][] {
  const choices: number[][][] = [];
  const byInode = new Map<InodeId, number[]>();
  for (const id of cut.free) {
    const unit = p.units[id]!;
    if (unit.kind === 'entry' || p.options.data === 'writeback') {
      choices.push([[], [id]]);
      continue;
    }
    const list = byInode.get(unit.inode) ?? [];
    list.push(id);
    byInode.set(unit.inode, list);
  }
  for (const chain of byInode.values()) {
    choices.push(Array.from({ length: chain.length + 1 }, (_, n) => chain.slice(0, n)));
  }
  return choices;
}

export function countStates(choices: number[][][]): number {
  return choices.reduce((product, options) => product * options.length, 1);
}
