// The explorer finds bugs: builds of mq with one fsync removed (crash/run/mutant.ts) break a promise in
// some crash state of the scenario that exercises that fsync, while the shipped build breaks none there
// (crash-states.test.ts).
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

// Which scenario shows each mutation, and what its violation says.
const SHOWN_BY: Record<string, { scenario: string; message: RegExp }> = {
  'no-bucket-fsync': { scenario: 'queue-send', message: /was printed by mq send and is gone/ },
  'no-segment-fdatasync': { scenario: 'stream-put', message: /was printed by mq put and/ },
};

describe('crash states of test builds with one fsync removed', () => {
  for (const mutation of MUTATIONS) {
    it(`catches ${mutation.name}: ${mutation.what}`, async () => {
      const shown = SHOWN_BY[mutation.name]!;
      const scenario = SCENARIOS.find((s) => s.name === shown.scenario)!;
      const mqEntry = await buildMutant(mutation, path.join(workDir, mutation.name));
      const report = await exploreScenario(scenario, 'fsync', {
        workDir, mqEntry, model: DEFAULT_MODEL, seed: 1, exhaustiveLimit: 16, randomPerCut: 2, maxStates: 400, maxFailingStates: 1,
      });
      expect(report.violatingStates).toBeGreaterThan(0);
      expect(report.violations[0]!.messages.join('\n')).toMatch(shown.message);
    }, 300_000);
  }
});
