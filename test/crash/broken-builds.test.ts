// The explorer finds bugs. Builds of mq with one fsync taken out (the two), and builds with a fix
// taken out again (each bug the explorer found, the regression test of its fix; crash/run/mutant.ts),
// each break a promise in some crash state of the scenario that exercises that code, while the shipped
// build breaks none there (crash-states.test.ts). States are checked simplest first (the process-crash
// and single-omission ones), up to the first violation. `npm test` builds the two; CI and
// `npm run crash-states` (MQ_CRASH_STATES=ci or full) every one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../crash/scenarios/index.js';
import { exploreScenario } from '../../crash/run/explore.js';
import { MUTATIONS, buildMutant } from '../../crash/run/mutant.js';
import { DEFAULT_MODEL } from '../../crash/model/persistence.js';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-crash-mutants-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const all = process.env.MQ_CRASH_STATES === 'ci' || process.env.MQ_CRASH_STATES === 'full';

describe('crash states of test builds with a fix or an fsync taken out', () => {
  for (const mutation of MUTATIONS.filter((m) => all || m.kind === 'fsync-removed')) {
    it(`catches ${mutation.name} (${mutation.kind}): ${mutation.what}`, async () => {
      const scenario = SCENARIOS.find((s) => s.name === mutation.scenario)!;
      const mqEntry = await buildMutant(mutation, path.join(workDir, mutation.name));
      const report = await exploreScenario(scenario, mutation.durability, {
        workDir, mqEntry, model: mutation.model === 'acausal' ? { ...DEFAULT_MODEL, causal: false } : DEFAULT_MODEL, seed: 1, exhaustiveLimit: 16, randomPerCut: 2, maxStates: 2000, maxFailingStates: 1, simplestFirst: true,
      });
      expect(report.violatingStates, `${report.checked} states checked`).toBeGreaterThan(0);
      expect(report.violations[0]!.messages.join('\n')).toMatch(mutation.message);
    }, 300_000);
  }
});
