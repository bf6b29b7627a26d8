// Enumerates crash states: for every cut point of a run, the sets of units that may be on disk
// (persistence.ts). Where a cut has few enough combinations, all of them; where it has more, the
// process-crash state (everything on disk), the state with nothing unsynced, each choice alone off and
// alone on (ALICE's single-omission states), and a seeded random sample. A state (the set of units on
// disk) reachable from several cuts is kept once, with the latest cut: the one that had promised the
// most (more output printed), so the check is the strictest. Pure.
import { Rng } from '../../test/torture/random.js';
import { type Persistence, choicesAt, closeState, countStates, cutAt } from './persistence.js';

export interface CrashState {
  // The cut: how many ops had completed.
  at: number;
  // The units on disk, ascending.
  persisted: number[];
  // How it was found: 0 the process-crash or nothing-unsynced state, 1 a single choice changed,
  // 2 one of all combinations, 3 random.
  rank: number;
}

export interface EnumerateOptions {
  // A cut with at most this many combinations is enumerated whole.
  exhaustiveLimit: number;
  // Random states drawn at a cut with more.
  randomPerCut: number;
  seed: number;
}

export interface Enumeration {
  states: CrashState[];
  cuts: number;
  // Cuts whose every combination was taken.
  exhaustiveCuts: number;
}

export function enumerateStates(p: Persistence, opCount: number, options: EnumerateOptions): Enumeration {
  const rng = new Rng(options.seed);
  const states = new Map<string, CrashState>();
  let exhaustiveCuts = 0;
  const add = (at: number, forced: number[], chosen: number[][], rank: number) => {
    const persisted = closeState(p, forced, chosen.flat());
    const key = persisted.join(',');
    const known = states.get(key);
    if (!known || known.at < at) states.set(key, { at, persisted, rank: Math.min(rank, known?.rank ?? rank) });
    else if (rank < known.rank) known.rank = rank;
  };
  for (let at = 0; at <= opCount; at++) {
    const cut = cutAt(p, at);
    const choices = choicesAt(p, cut);
    const all = choices.map((options) => options.at(-1)!);
    const none = choices.map((options) => options[0]!);
    add(at, cut.forced, all, 0);
    add(at, cut.forced, none, 0);
    if (countStates(choices) <= options.exhaustiveLimit) {
      exhaustiveCuts++;
      for (const combination of combinations(choices)) add(at, cut.forced, combination, 2);
      continue;
    }
    choices.forEach((options, i) => {
      for (const option of options) {
        add(at, cut.forced, all.map((current, j) => (i === j ? option : current)), 1);
        add(at, cut.forced, none.map((current, j) => (i === j ? option : current)), 1);
      }
    });
    for (let n = 0; n < options.randomPerCut; n++) add(at, cut.forced, choices.map((opts) => rng.pick(opts)), 3);
  }
  return { states: [...states.values()].sort((a, b) => a.at - b.at || a.rank - b.rank), cuts: opCount + 1, exhaustiveCuts };
}

// Every combination of one option per choice (mixed-radix counting).
export function* combinations(choices: number[][][]): Generator<number[][]> {
  const digits = choices.map(() => 0);
  for (;;) {
    yield choices.map((options, i) => options[digits[i]!]!);
    let i = 0;
    while (i < digits.length && ++digits[i]! === choices[i]!.length) digits[i++] = 0;
    if (i === digits.length) return;
  }
}

// At most `max` states: the lowest ranks first, ties broken by a seeded shuffle; in cut order.
export function sampleStates(states: CrashState[], max: number, seed: number): CrashState[] {
  if (states.length <= max) return states;
  const rng = new Rng(seed);
  const keyed = states.map((state) => ({ state, tie: rng.next() }));
  keyed.sort((a, b) => a.state.rank - b.state.rank || a.tie - b.tie);
  return keyed.slice(0, max).map((k) => k.state).sort((a, b) => a.at - b.at || a.rank - b.rank);
}
