// The persistence model, the state enumerator and the image builder (crash/model/), on random file-system
// programs: the process-crash state is the live tree, every state holds what was fsynced and nothing not
// yet done, keeps each file's unsynced data as a prefix ('ordered'), and keeps the causal order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildImage, promisedAt } from '../../crash/model/build.js';
import { combinations, enumerateStates, sampleStates } from '../../crash/model/enumerate.js';
import { Image, type InodeId } from '../../crash/model/image.js';
import type { FsOp } from '../../crash/model/ops.js';
import { DEFAULT_MODEL, type ModelOptions, choicesAt, closeState, countStates, cutAt, unitsOf } from '../../crash/model/persistence.js';

const NAMES = ['a', 'b', 'c'];

// One step of a random program: what to do and which existing things (by index, wrapped) it acts on.
const step = fc.record({
  kind: fc.constantFrom('mkdir', 'create', 'write', 'write', 'truncate', 'rename', 'unlink', 'sync', 'sync', 'output'),
  pick: fc.nat(), target: fc.nat(), name: fc.constantFrom(...NAMES),
  offset: fc.nat({ max: 1500 }), length: fc.integer({ min: 1, max: 1100 }), byte: fc.integer({ min: 1, max: 255 }),
});

interface Program {
  ops: FsOp[];
  // The tree as the program left it after each op: path -> content (directories '/').
  trees: Map<string, string>[];
}

// Runs the steps on a live image, keeping the valid ones as ops, and keeps a plain map of paths as the oracle.
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function program(steps: Step[]): Program {
  const live = new Image();
  const ops: FsOp[] = [];
  const trees: Map<string, string>[] = [];
  let tree = new Map<string, string>();
  const origin = { command: 0, line: 0, label: '' };
  for (const s of steps) {
    const entries = [...live.walk()];
    const dirs: [string, InodeId][] = [['', live.root], ...entries.filter(([, , n]) => n.kind === 'dir').map(([p, id]) => [p, id] as [string, InodeId])];
    const files = entries.filter(([, , n]) => n.kind === 'file');
    const [dirPath, dir] = dirs[s.pick % dirs.length]!;
    const at = { parent: dir, name: s.name };
    const full = dirPath === '' ? s.name : `${dirPath}/${s.name}`;
    const free = !live.dir(dir)!.has(s.name);
    if ((s.kind === 'mkdir' || s.kind === 'create') && free) {
      const inode = live.allocate();
      live.nodes.set(inode, s.kind === 'mkdir' ? { kind: 'dir', entries: new Map() } : { kind: 'file', data: new Uint8Array(0) });
      live.dir(dir)!.set(s.name, inode);
      ops.push({ ...origin, kind: 'create', at, inode, type: s.kind === 'mkdir' ? 'dir' : 'file' });
      tree.set(full, s.kind === 'mkdir' ? '/' : '');
    } else if ((s.kind === 'write' || s.kind === 'truncate') && files.length > 0) {
      const [path, inode, node] = files[s.target % files.length]!;
      const size = (node as { data: Uint8Array }).data.length;
      if (s.kind === 'truncate') {
        const to = size === 0 ? 0 : s.offset % (size + 1);
        live.truncate(inode, to);
        ops.push({ ...origin, kind: 'truncate', inode, size: to });
        tree.set(path, tree.get(path)!.slice(0, to));
      } else {
        const offset = Math.min(s.offset, size);
        const data = new Uint8Array(s.length).fill(s.byte);
        live.write(inode, offset, data);
        ops.push({ ...origin, kind: 'write', inode, offset, data });
        const old = tree.get(path)!;
        tree.set(path, old.slice(0, offset) + String.fromCharCode(s.byte).repeat(s.length) + old.slice(offset + s.length));
      }
    } else if (s.kind === 'rename' && entries.length > 0 && free) {
      const [from, inode, node] = entries[s.target % entries.length]!;
      if (full === from || full.startsWith(`${from}/`)) continue;
      const fromEntry = { parent: live.lookup(from.split('/').slice(0, -1))!, name: from.split('/').at(-1)! };
      live.dir(fromEntry.parent)!.delete(fromEntry.name);
      live.dir(dir)!.set(s.name, inode);
      ops.push({ ...origin, kind: 'rename', from: fromEntry, to: at, inode });
      const moved = new Map<string, string>();
      for (const [p, content] of tree) {
        if (p === from || p.startsWith(`${from}/`)) moved.set(full + p.slice(from.length), content);
        else moved.set(p, content);
      }
      tree = moved;
      void node;
    } else if (s.kind === 'unlink' && entries.length > 0) {
      const [path, inode, node] = entries[s.target % entries.length]!;
      if (node.kind === 'dir' && node.entries.size > 0) continue;
      const entry = { parent: live.lookup(path.split('/').slice(0, -1))!, name: path.split('/').at(-1)! };
      live.dir(entry.parent)!.delete(entry.name);
      ops.push({ ...origin, kind: 'unlink', at: entry, inode, dir: node.kind === 'dir' });
      tree.delete(path);
    } else if (s.kind === 'sync') {
      const all: InodeId[] = [live.root, ...entries.map(([, id]) => id)];
      ops.push({ ...origin, kind: 'sync', inode: all[s.target % all.length]! });
    } else if (s.kind === 'output') {
      ops.push({ ...origin, kind: 'output', data: new Uint8Array([s.byte]) });
    } else {
      continue;
    }
    trees.push(new Map(tree));
  }
  return { ops, trees };
}

function treeOf(image: Image): Map<string, string> {
  const tree = new Map<string, string>();
  for (const [path, , node] of image.walk()) tree.set(path, node.kind === 'dir' ? '/' : node.kind === 'file' ? Buffer.from(node.data).toString('latin1') : '');
  return tree;
}

const MODELS: ModelOptions[] = [DEFAULT_MODEL, { ...DEFAULT_MODEL, data: 'writeback' }, { ...DEFAULT_MODEL, causal: false }];
const runs = Number(process.env.MQ_MODEL_RUNS ?? 150);

describe('the persistence model', () => {
  it('makes the state with every completed operation on disk the live tree (a process crash)', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), fc.constantFrom(...MODELS), (steps, model) => {
      const { ops, trees } = program(steps);
      const p = unitsOf(ops, model);
      for (let at = 1; at <= ops.length; at++) {
        const all = p.units.filter((u) => u.op < at).map((u) => u.id);
        expect(treeOf(buildImage(new Image(), ops, p, all))).toEqual(trees[at - 1]);
      }
    }), { numRuns: runs });
  });

  it('enumerates only states that hold what was fsynced, nothing not yet done, each file as a prefix, in causal order', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 30 }), fc.constantFrom(...MODELS), fc.nat(), (steps, model, seed) => {
      const { ops } = program(steps);
      const p = unitsOf(ops, model);
      const { states } = enumerateStates(p, ops.length, { exhaustiveLimit: 32, randomPerCut: 4, seed });
      for (const state of states) {
        const on = new Set(state.persisted);
        const cut = cutAt(p, state.at);
        for (const id of cut.forced) expect(on.has(id)).toBe(true);
        for (const id of state.persisted) {
          expect(p.units[id]!.op).toBeLessThan(state.at);
          for (const need of p.needs[id]!) expect(on.has(need)).toBe(true);
        }
        if (model.data === 'ordered') {
          for (const chain of p.chains.values()) {
            const issued = chain.filter((id) => p.units[id]!.op < state.at);
            const kept = issued.filter((id) => on.has(id)).length;
            expect(issued.slice(0, kept).every((id) => on.has(id))).toBe(true);
          }
        }
      }
      // The last cut's process-crash state is always among them.
      const last = cutAt(p, ops.length);
      expect(states.some((s) => s.persisted.join() === [...last.forced, ...last.free].sort((a, b) => a - b).join())).toBe(true);
    }), { numRuns: runs });
  });

  it('keeps a file fsynced after its last write whole in every state', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 30 }), fc.constantFrom(...MODELS), (steps, model) => {
      const { ops } = program(steps);
      const p = unitsOf(ops, model);
      const at = ops.length;
      const lastWrite = new Map<InodeId, number>();
      const lastSync = new Map<InodeId, number>();
      ops.forEach((op, i) => {
        if (op.kind === 'write' || op.kind === 'truncate') lastWrite.set(op.inode, i);
        if (op.kind === 'sync') lastSync.set(op.inode, i);
      });
      const synced = [...lastWrite].filter(([inode, w]) => (lastSync.get(inode) ?? -1) > w).map(([inode]) => inode);
      const live = buildImage(new Image(), ops, p, p.units.map((u) => u.id));
      const cut = cutAt(p, at);
      const nothingFree = buildImage(new Image(), ops, p, closeState(p, cut.forced, []));
      for (const inode of synced) expect(nothingFree.node(inode)).toEqual(live.node(inode));
    }), { numRuns: runs });
  });

  it('takes every combination of a cut whose combinations are few', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
      const { ops } = program(steps);
      const p = unitsOf(ops, { ...DEFAULT_MODEL, causal: false });
      const cut = cutAt(p, ops.length);
      const choices = choicesAt(p, cut);
      fc.pre(countStates(choices) <= 64);
      const seen = new Set([...combinations(choices)].map((c) => closeState(p, cut.forced, c.flat()).join()));
      expect(seen.size).toBe(countStates(choices));
      const { states } = enumerateStates(p, ops.length, { exhaustiveLimit: 64, randomPerCut: 0, seed: 1 });
      for (const key of seen) expect(states.some((s) => s.persisted.join() === key)).toBe(true);
    }), { numRuns: runs });
  });
});

describe('the enumeration helpers', () => {
  it('counts in mixed radix over every option of every choice', () => {
    expect([...combinations([[[], [1]], [[], [2], [2, 3]]])]).toEqual([
      [[], []], [[1], []], [[], [2]], [[1], [2]], [[], [2, 3]], [[1], [2, 3]],
    ]);
    expect([...combinations([])]).toEqual([[]]);
  });

  it('samples the simplest states first, then at random, and gives them back in cut order', () => {
    const states = Array.from({ length: 50 }, (_, i) => ({ at: 50 - i, persisted: [i], rank: i % 5 }));
    const kept = sampleStates(states, 20, 7);
    expect(kept).toHaveLength(20);
    expect(kept.filter((s) => s.rank <= 1)).toHaveLength(20);
    expect(kept.map((s) => s.at)).toEqual([...kept.map((s) => s.at)].sort((a, b) => a - b));
    expect(sampleStates(states, 20, 7)).toEqual(kept);
  });

  it('tells what each command had printed and whether it had ended at a cut', () => {
    const origin = (command: number) => ({ command, line: 0, label: '' });
    const ops: FsOp[] = [
      { ...origin(0), kind: 'output', data: Buffer.from('a\n') },
      { ...origin(0), kind: 'exit', code: 0 },
      { ...origin(1), kind: 'sync', inode: 1 },
      { ...origin(1), kind: 'output', data: Buffer.from('b') },
    ];
    expect(promisedAt(ops, 1, 2)).toEqual({ stdout: ['a\n', ''], exited: [undefined, undefined], started: [true, false] });
    expect(promisedAt(ops, 4, 2)).toEqual({ stdout: ['a\n', 'b'], exited: [0, undefined], started: [true, true] });
  });
});
