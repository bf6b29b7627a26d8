// The crash-state explorer over every scenario (crash/scenarios/): the states a power cut may leave,
// each recovered and checked against the Guarantees. `npm test` checks the 30 simplest states of each
// scenario and durability; CI (MQ_CRASH_STATES=ci) up to 400; `npm run crash-states` (MQ_CRASH_STATES=full)
// up to 4,000, and prints the table of the README's Power cuts section. MQ_CRASH_SCENARIOS=a,b picks scenarios, MQ_CRASH_SEED replays a sample,
// MQ_CRASH_MODEL=writeback explores ext4 data=writeback's states instead of the default ordered data, and
// MQ_CRASH_MODEL=alice also drops the causal ordering of directory operations (crash/model/persistence.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../crash/scenarios/index.js';
import { type ScenarioReport, exploreScenario, formatReports } from '../../crash/run/explore.js';
import { DEFAULT_MODEL, type ModelOptions } from '../../crash/model/persistence.js';
import { straceAvailable } from '../../crash/run/tracer.js';
import { formatSeed, parseSeed } from '../torture/random.js';

// short: `npm test`; ci: the .ci/run step (a bounded sample); full: `npm run crash-states`.
const FORMS = {
  short: { exhaustiveLimit: 16, randomPerCut: 1, maxStates: 30, timeoutMs: 900_000 },
  ci: { exhaustiveLimit: 64, randomPerCut: 4, maxStates: 400, timeoutMs: 3_600_000 },
  full: { exhaustiveLimit: 256, randomPerCut: 8, maxStates: 4000, timeoutMs: 7_200_000 },
};
const formName = (process.env.MQ_CRASH_STATES ?? 'short') as keyof typeof FORMS;
const form = FORMS[formName];
const only = process.env.MQ_CRASH_SCENARIOS?.split(',').filter(Boolean);
const seed = parseSeed(process.env.MQ_CRASH_SEED);
const modelName = process.env.MQ_CRASH_MODEL ?? 'ordered';
const MODELS: Record<string, ModelOptions> = {
  ordered: DEFAULT_MODEL,
  writeback: { ...DEFAULT_MODEL, data: 'writeback' },
  alice: { ...DEFAULT_MODEL, data: 'writeback', causal: false },
};

describe('crash states', () => {
  it('finds no crash state that breaks a promise of the Guarantees', async () => {
    expect(straceAvailable(), 'strace is needed (apt-get install -y strace)').toBe(true);
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-crash-'));
    const reports: ScenarioReport[] = [];
    if (!form) throw new Error(`MQ_CRASH_STATES must be one of ${Object.keys(FORMS).join(', ')}`);
    const model = MODELS[modelName];
    if (!model) throw new Error(`MQ_CRASH_MODEL must be one of ${Object.keys(MODELS).join(', ')}`);
    console.log(`crash states: ${formName} form, seed ${formatSeed(seed)}, model ${modelName}`);
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
      for (const durability of scenario.durabilities) {
        const report = await exploreScenario(scenario, durability, {
          workDir, mqEntry: [process.execPath, path.resolve('bin/mq.cjs')], model, seed,
          exhaustiveLimit: form.exhaustiveLimit, randomPerCut: form.randomPerCut, maxStates: form.maxStates,
        });
        reports.push(report);
        console.log(formatReports([report]).split('\n')[1]);
      }
    }
    console.log(formatReports(reports));
    expect(reports.flatMap((r) => r.violations), `kept for inspection: ${workDir}`).toEqual([]);
    fs.rmSync(workDir, { recursive: true, force: true });
  }, form?.timeoutMs);
});
