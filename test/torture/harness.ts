// The torture harness: for each scenario in scenarios/, start its roles as real processes, keep each
// slot busy with fresh processes until the time is up, have them killed with SIGKILL at random points
// (inside chosen operations by their own kill thread, and at random moments from outside), then let the
// scenario recover the store and check its logs against it. Every decision comes from one seed.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { Rng, deriveSeed, formatSeed } from './random.js';
import type { HarnessEnv, RoleSpec, Scenario, Verdict, WorkerLog } from './scenario.js';
import type { KillPlan, WorkerSpec } from './worker.js';
import { outputFileName, parseEntries, parseLogFileName } from './worker-log.js';

const SCENARIO_DIR = path.resolve('test/torture/scenarios');

export interface TortureOptions {
  seed: number;
  // 'short' (the smoke run in npm test) or 'full' (npm run torture); scenarios may scale with it.
  form: 'short' | 'full';
  // How long the workers of each scenario run.
  seconds: number;
  // A directory for the stores, logs and the worker bundle (left there for inspection on failure).
  workDir: string;
  // Run only these scenarios (default: all).
  only?: string[];
  // Mean time between kills sent from outside, per scenario.
  externalKillMeanMs?: number;
  // Processes of one slot run at most this many operations each (most are killed long before).
  maxOps?: number;
}

export interface ScenarioReport {
  scenario: string;
  seconds: number;
  processes: number;
  kills: { armed: Record<string, number>; external: number; atEnd: number };
  killCount: number;
  cleanExits: number;
  verdict: Verdict;
}

export interface TortureReport {
  seed: number;
  form: TortureOptions['form'];
  scenarios: ScenarioReport[];
  kills: number;
  operations: number;
  checked: number;
  violations: string[];
  seconds: number;
}

export function scenarioFiles(): string[] {
  return fs.readdirSync(SCENARIO_DIR).filter((name) => name.endsWith('.ts')).sort().map((name) => path.join(SCENARIO_DIR, name));
}

export async function loadScenarios(): Promise<Scenario[]> {
  const loaded: Scenario[] = [];
  for (const file of scenarioFiles()) {
    const module = (await import(file)) as { scenario?: Scenario };
    if (!module.scenario) throw new Error(`${file} exports no scenario`);
    loaded.push(module.scenario);
  }
  return loaded;
}

// One JavaScript file holding the worker and every scenario (and the mq sources they import).
async function buildWorkerBundle(outDir: string): Promise<string> {
  const files = scenarioFiles();
  const imports = files.map((file, i) => `import { scenario as s${i} } from ${JSON.stringify(file)};`).join('\n');
  const outfile = path.join(outDir, 'torture-worker.mjs');
  await build({
    stdin: {
      contents: `${imports}\nimport { runWorker } from ${JSON.stringify(path.resolve('test/torture/worker.ts'))};\nawait runWorker([${files.map((_, i) => `s${i}`).join(', ')}]);\n`,
      resolveDir: path.resolve('test/torture'),
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "import { createRequire as __tortureRequire } from 'node:module'; const require = __tortureRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

interface Slot {
  role: RoleSpec;
  index: number;
  incarnation: number;
}

interface Running {
  slot: Slot;
  child: ChildProcess;
  killedFromOutside: boolean;
  atEnd: boolean;
  stderr: string;
  exited: Promise<void>;
}

function planKill(rng: Rng, role: RoleSpec): KillPlan | null {
  if (role.kills.length === 0 || rng.chance(0.1)) return null;
  return { kind: rng.pick(role.kills), occurrence: rng.int(0, 2), factor: rng.next() * 2 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runScenario(scenario: Scenario, options: TortureOptions, bundle: string): Promise<ScenarioReport> {
  const started = Date.now();
  const dir = path.join(options.workDir, scenario.name);
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const seed = deriveSeed(options.seed, scenario.name);
  const rng = new Rng(seed);
  const env: HarnessEnv = {
    home: path.join(dir, 'store'), rng, params: {}, workDir: dir, form: options.form,
    log: (entry) => fs.appendFileSync(path.join(logDir, 'setup.0.0.log'), `${JSON.stringify(entry)}\n`),
  };
  await scenario.setup(env);

  const stopAt = Date.now() + options.seconds * 1000;
  const report: ScenarioReport = {
    scenario: scenario.name, seconds: 0, processes: 0, kills: { armed: {}, external: 0, atEnd: 0 }, killCount: 0, cleanExits: 0,
    verdict: { operations: {}, checked: 0, violations: [], notes: [] },
  };
  const crashes: string[] = [];
  const endings = new Map<string, WorkerLog['ending']>();
  const running = new Set<Running>();

  const start = (slot: Slot) => {
    const spec: WorkerSpec = {
      scenario: scenario.name, role: slot.role.name, slot: slot.index, incarnation: slot.incarnation,
      seed: deriveSeed(seed, slot.role.name, slot.index, slot.incarnation), home: env.home, logDir, stopAt,
      maxOps: options.maxOps ?? 60, params: env.params, kill: planKill(rng, slot.role),
    };
    const child = spawn(process.execPath, [bundle, JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'pipe'] });
    report.processes++;
    const run: Running = { slot, child, killedFromOutside: false, atEnd: false, stderr: '', exited: Promise.resolve() };
    child.stderr!.on('data', (chunk: Buffer) => {
      if (run.stderr.length < 4000) run.stderr += chunk.toString();
    });
    run.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        running.delete(run);
        const key = `${slot.role.name}.${slot.index}.${slot.incarnation}`;
        if (signal === 'SIGKILL') {
          endings.set(key, 'killed');
          report.killCount++;
          if (run.atEnd) report.kills.atEnd++;
          else if (run.killedFromOutside) report.kills.external++;
          else {
            const arm = lastArm(logDir, slot);
            report.kills.armed[arm] = (report.kills.armed[arm] ?? 0) + 1;
          }
        } else if (code === 0) {
          endings.set(key, 'clean');
          report.cleanExits++;
        } else {
          endings.set(key, 'crashed');
          crashes.push(`${scenario.name}: ${key} exited with ${signal ?? `status ${code}`}: ${run.stderr.trim().split('\n').slice(-3).join(' | ') || 'see its log'}`);
        }
        if (Date.now() < stopAt - 100) {
          start({ ...slot, incarnation: slot.incarnation + 1 });
        }
        resolve();
      });
    });
    running.add(run);
  };

  for (const role of scenario.roles) for (let index = 0; index < role.slots; index++) start({ role, index, incarnation: 0 });
  // Kills from outside, at random moments: they land anywhere, start-up and logging included.
  while (Date.now() < stopAt) {
    await sleep(Math.min(rng.exponential(options.externalKillMeanMs ?? 400), Math.max(0, stopAt - Date.now())));
    const live = [...running].filter((r) => !r.killedFromOutside);
    if (live.length === 0 || Date.now() >= stopAt) continue;
    const victim = live[rng.int(0, live.length - 1)]!;
    victim.killedFromOutside = true;
    victim.child.kill('SIGKILL');
  }
  // The workers stop on their own at stopAt; what is still running a moment later is killed.
  await sleep(1000);
  for (const run of running) {
    run.atEnd = true;
    run.child.kill('SIGKILL');
  }
  while (running.size > 0) await Promise.all([...running].map((r) => r.exited));

  const logs = readLogs(logDir, endings);
  const recovered = await scenario.recover(env, logs);
  report.verdict = scenario.check(logs, recovered, env);
  for (const log of logs) {
    for (const entry of log.entries.filter((e) => e.t === 'crash')) {
      crashes.push(`${scenario.name}: ${log.role}.${log.slot}.${log.incarnation} failed: ${String(entry.message)}`);
    }
  }
  report.verdict.violations.unshift(...crashes);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function lastArm(logDir: string, slot: Slot): string {
  const file = path.join(logDir, `${slot.role.name}.${slot.index}.${slot.incarnation}.log`);
  const entries = fs.existsSync(file) ? parseEntries(fs.readFileSync(file, 'utf8')) : [];
  const arm = entries.filter((e) => e.t === 'arm').at(-1);
  return arm ? String(arm.op) : 'unplanned';
}

function readLogs(logDir: string, endings: Map<string, WorkerLog['ending']>): WorkerLog[] {
  const names = fs.readdirSync(logDir);
  const logs: WorkerLog[] = [];
  for (const name of names) {
    const id = parseLogFileName(name);
    if (!id) continue;
    const prefix = outputFileName(id, '');
    const outputs: Record<string, string> = {};
    for (const other of names.filter((n) => n.startsWith(prefix))) outputs[other.slice(prefix.length)] = fs.readFileSync(path.join(logDir, other), 'utf8');
    logs.push({
      ...id, entries: parseEntries(fs.readFileSync(path.join(logDir, name), 'utf8')), outputs,
      ending: endings.get(`${id.role}.${id.slot}.${id.incarnation}`) ?? 'clean',
    });
  }
  return logs.sort((a, b) => a.role.localeCompare(b.role) || a.slot - b.slot || a.incarnation - b.incarnation);
}

export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const started = Date.now();
  fs.mkdirSync(options.workDir, { recursive: true });
  const bundle = await buildWorkerBundle(options.workDir);
  const scenarios = (await loadScenarios()).filter((s) => !options.only || options.only.includes(s.name));
  const reports: ScenarioReport[] = [];
  for (const scenario of scenarios) reports.push(await runScenario(scenario, options, bundle));
  const sum = (f: (r: ScenarioReport) => number) => reports.reduce((total, r) => total + f(r), 0);
  return {
    seed: options.seed,
    form: options.form,
    scenarios: reports,
    kills: sum((r) => r.killCount),
    operations: sum((r) => Object.values(r.verdict.operations).reduce((a, b) => a + b, 0)),
    checked: sum((r) => r.verdict.checked),
    violations: reports.flatMap((r) => r.verdict.violations),
    seconds: (Date.now() - started) / 1000,
  };
}

const number = (n: number) => n.toLocaleString('en-US');

export function formatReport(report: TortureReport): string {
  const lines = [
    `mq torture (${report.form}): seed ${formatSeed(report.seed)} (replay: MQ_TORTURE_SEED=${formatSeed(report.seed)} npm run torture)`,
  ];
  for (const r of report.scenarios) {
    const armed = Object.entries(r.kills.armed).sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${kind} ${n}`).join(', ');
    const ops = Object.entries(r.verdict.operations).map(([kind, n]) => `${kind} ${number(n)}`).join(', ');
    lines.push(
      `  ${r.scenario}: ${r.seconds.toFixed(1)} s, ${number(r.processes)} processes, ${number(r.killCount)} SIGKILLs `
        + `(inside ${armed || 'none'}; ${r.kills.external} at random moments; ${r.kills.atEnd} at the end), ${r.cleanExits} clean exits`,
      `    operations: ${ops}; ${number(r.verdict.checked)} messages or records checked; ${r.verdict.violations.length} violations`,
      ...r.verdict.notes.map((note) => `    note: ${note}`),
    );
  }
  lines.push(
    `  total: ${number(report.kills)} SIGKILLs, ${number(report.operations)} operations, ${number(report.checked)} messages or records checked, `
      + `${report.violations.length} violations, ${report.seconds.toFixed(1)} s`,
    ...report.violations.slice(0, 50).map((v) => `  VIOLATION ${v}`),
  );
  if (report.violations.length > 50) lines.push(`  ... and ${report.violations.length - 50} more`);
  return lines.join('\n');
}
