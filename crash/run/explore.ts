// The crash-state explorer for one scenario: set up the store, run the commands under strace, translate
// the trace into operations (checking that replaying them gives exactly the directory the real run left),
// enumerate the crash states the persistence model allows, build each in a fresh directory, run the
// scenario's recovery and checks on it, and report.
import fs from 'node:fs';
import path from 'node:path';
import type { Durability } from '../../src/core/durability.js';
import { buildImage, promisedAt } from '../model/build.js';
import { enumerateStates, sampleStates } from '../model/enumerate.js';
import type { FsOp } from '../model/ops.js';
import { type ModelOptions, type Persistence, unitsOf } from '../model/persistence.js';
import { parseStrace } from '../trace/strace.js';
import { Translator } from '../trace/translate.js';
import type { CommandRun, Scenario } from '../scenarios/scenario.js';
import { readImage, writeImage } from './disk.js';
import { mqIn } from './recover.js';
import { traceCommand } from './tracer.js';

export interface ExploreOptions {
  // Scratch space; each scenario and state gets its own directory below it.
  workDir: string;
  // How to start mq: node and the entry script (the shipped bin/mq.cjs, or a test build).
  mqEntry: string[];
  model: ModelOptions;
  seed: number;
  // Per cut: enumerate all combinations up to this many, else this many random ones besides the
  // structured ones.
  exhaustiveLimit: number;
  randomPerCut: number;
  // At most this many states checked per scenario (a seeded sample of the enumerated ones).
  maxStates: number;
  // Stop checking a scenario after this many states with violations.
  maxFailingStates?: number;
}

export interface Violation {
  scenario: string;
  // The cut: the last operation that had completed, and what had not reached disk.
  cut: string;
  lost: string[];
  messages: string[];
  // Where the state was built (kept when it violates).
  dir: string;
}

export interface ScenarioReport {
  scenario: string;
  durability: Durability;
  model: string;
  commands: number;
  ops: number;
  units: number;
  cuts: number;
  exhaustiveCuts: number;
  // Distinct sets of units on disk found, and how many of them were checked (after sampling).
  enumerated: number;
  checked: number;
  // Distinct disk images among the checked states (several unit sets can give the same files).
  images: number;
  violatingStates: number;
  violations: Violation[];
  notes: Record<string, number>;
  seconds: number;
}

export async function exploreScenario(scenario: Scenario, durability: Durability, options: ExploreOptions): Promise<ScenarioReport> {
  const started = Date.now();
  const label = `${scenario.name}@${durability}`;
  const scenarioDir = fs.mkdtempSync(path.join(options.workDir, `${scenario.name}-${durability}-`));
  const base = path.join(scenarioDir, 'traced');
  fs.mkdirSync(base);
  const home = path.join(base, 'home');
  const plan = await scenario.prepare(home, durability, scenarioDir);
  const initial = readImage(base);
  const translator = new Translator(base, initial.clone());
  const runs: CommandRun[] = [];
  for (const [index, entry] of plan.commands.entries()) {
    const command = typeof entry === 'function' ? entry(runs) : entry;
    const result = await traceCommand({
      argv: [...options.mqEntry, ...command.args],
      cwd: base,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scenarioDir, MQ_HOME: home, ...command.env },
      ...(command.stdin !== undefined ? { stdin: command.stdin } : {}),
      ...(command.stopWhen ? { stopWhen: command.stopWhen } : {}),
      traceFile: path.join(scenarioDir, `trace-${index}.txt`),
    });
    runs.push({ command, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode });
    translator.translate(parseStrace(result.trace), index, base);
  }
  const ops = translator.ops;
  const replayed = translator.live.describe();
  const actual = readImage(base).describe();
  if (replayed !== actual) throw new Error(`${label}: replaying the trace does not give the directory the run left:\n${firstDifference(replayed, actual)}`);

  const persistence = unitsOf(ops, options.model);
  const enumeration = enumerateStates(persistence, ops.length, { exhaustiveLimit: options.exhaustiveLimit, randomPerCut: options.randomPerCut, seed: options.seed });
  const states = sampleStates(enumeration.states, options.maxStates, options.seed);
  const report: ScenarioReport = {
    scenario: scenario.name, durability, model: `${options.model.data}${options.model.causal ? '' : ', acausal'}`, commands: runs.length, ops: ops.length,
    units: persistence.units.length, cuts: enumeration.cuts, exhaustiveCuts: enumeration.exhaustiveCuts,
    enumerated: enumeration.states.length, checked: 0, images: 0, violatingStates: 0, violations: [], notes: {}, seconds: 0,
  };
  const seen = new Set<string>();
  let stateIndex = 0;
  for (const state of states) {
    const image = buildImage(initial, ops, persistence, state.persisted);
    const promised = promisedAt(ops, state.at, runs.length);
    const key = `${image.describe()}\n--\n${JSON.stringify(promised)}`;
    report.checked++;
    if (seen.has(key)) continue;
    seen.add(key);
    report.images++;
    const stateBase = path.join(scenarioDir, `state-${stateIndex++}`);
    fs.mkdirSync(stateBase);
    writeImage(image, stateBase);
    const messages: string[] = [];
    const stateHome = path.join(stateBase, 'home');
    try {
      await plan.check({
        home: stateHome, mq: mqIn(stateHome), promised, runs, durability,
        violation: (message) => messages.push(message),
        note: (what) => { report.notes[what] = (report.notes[what] ?? 0) + 1; },
      });
    } catch (error) {
      messages.push(`the check failed: ${(error as Error).stack ?? error}`);
    }
    if (messages.length > 0) {
      report.violatingStates++;
      if (report.violations.length < 20) {
        report.violations.push({ scenario: label, cut: describeCut(ops, state.at), lost: lostOps(ops, persistence, state.at, state.persisted), messages, dir: stateBase });
      }
    } else {
      fs.rmSync(stateBase, { recursive: true, force: true });
    }
    if (options.maxFailingStates !== undefined && report.violatingStates >= options.maxFailingStates) break;
  }
  report.seconds = (Date.now() - started) / 1000;
  if (report.violatingStates === 0) fs.rmSync(scenarioDir, { recursive: true, force: true });
  return report;
}

function describeCut(ops: FsOp[], at: number): string {
  if (at === 0) return 'before the first operation';
  const op = ops[at - 1]!;
  return `after op ${at - 1} (command ${op.command}, trace line ${op.line}): ${op.label}`;
}

// The operations (or parts of them) that had completed but are not on disk in this state.
function lostOps(ops: FsOp[], p: Persistence, at: number, persisted: number[]): string[] {
  const on = new Set(persisted);
  const lost = new Map<number, string[]>();
  for (const unit of p.units) {
    if (unit.op >= at) break;
    if (on.has(unit.id)) continue;
    const parts = lost.get(unit.op) ?? [];
    if (unit.kind === 'piece') parts.push(`bytes ${unit.from}-${unit.to}`);
    else if (unit.kind === 'grow') parts.push(`size ${unit.size}`);
    lost.set(unit.op, parts);
  }
  return [...lost].map(([op, parts]) => `op ${op} (command ${ops[op]!.command}): ${ops[op]!.label}${parts.length ? ` [${parts.join(', ')}]` : ''}`);
}

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) return `replayed: ${left[i] ?? '(end)'}\nactual:   ${right[i] ?? '(end)'}`;
  }
  return '(none)';
}

export function formatReports(reports: ScenarioReport[]): string {
  const rows = reports.map((r) => [
    `${r.scenario}@${r.durability}`, r.model, String(r.ops), String(r.cuts), `${r.exhaustiveCuts}/${r.cuts}`, String(r.enumerated),
    String(r.checked), String(r.images), String(r.violatingStates), `${r.seconds.toFixed(1)}s`,
    Object.entries(r.notes).map(([k, v]) => `${k} ${v}`).join(', '),
  ]);
  const header = ['scenario', 'model', 'ops', 'cuts', 'exhaustive', 'states', 'checked', 'images', 'violating', 'time', 'allowed outcomes seen'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const total = reports.reduce((sum, r) => ({ checked: sum.checked + r.checked, violating: sum.violating + r.violatingStates }), { checked: 0, violating: 0 });
  const details = reports.flatMap((r) => r.violations.slice(0, 3).map((v) => [
    `VIOLATION in ${v.scenario}, ${v.cut} (state kept in ${v.dir})`,
    ...v.messages.map((m) => `  ${m}`),
    '  not on disk:', ...v.lost.map((l) => `    ${l}`),
  ].join('\n')));
  return [line(header), ...rows.map(line), `total: ${total.checked} crash states checked, ${total.violating} violating`, ...details].join('\n');
}
