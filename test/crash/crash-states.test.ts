// The crash-state explorer over every scenario (crash/scenarios/): the states a power cut may leave,
// each recovered and checked against the Guarantees. `npm test` checks a sample of each scenario's states;
// `npm run crash-states` (MQ_CRASH_STATES=full) checks up to 4,000 per scenario and prints the table of
// the README's Power cuts section. MQ_CRASH_SCENARIOS=a,b picks scenarios, MQ_CRASH_SEED replays a sample,
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

const full = process.env.MQ_CRASH_STATES === 'full';
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
    const model = MODELS[modelName];
    if (!model) throw new Error(`MQ_CRASH_MODEL must be one of ${Object.keys(MODELS).join(', ')}`);
    console.log(`crash states: seed ${formatSeed(seed)}, model ${modelName}`);
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
      for (const durability of scenario.durabilities) {
        reports.push(await exploreScenario(scenario, durability, {
          workDir, mqEntry: [process.execPath, path.resolve('bin/mq.cjs')], model, seed,
          exhaustiveLimit: full ? 256 : 16, randomPerCut: full ? 8 : 2, maxStates: full ? 4000 : 150,
        }));
      }
    }
    console.log(formatReports(reports));
    expect(reports.flatMap((r) => r.violations), `kept for inspection: ${workDir}`).toEqual([]);
    fs.rmSync(workDir, { recursive: true, force: true });
  }, full ? 3_600_000 : 600_000);
});
