// The torture suite: every scenario in scenarios/ with its producers and consumers killed with SIGKILL
// at random points, then recovered and checked (harness.ts). `npm test` runs a short form (a few seconds
// per scenario); `npm run torture` the full form (MQ_TORTURE=full). MQ_TORTURE_SEED replays a run's
// schedule, MQ_TORTURE_SECONDS sets the time per scenario, MQ_TORTURE_SCENARIOS=a,b picks scenarios,
// MQ_TORTURE_FIFO_BACKLOG=N starts a FIFO group with N messages waiting (see the README's Guarantees).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, runTorture } from './harness.js';
import { parseSeed } from './random.js';

const full = process.env.MQ_TORTURE === 'full';
const seconds = Number(process.env.MQ_TORTURE_SECONDS ?? (full ? 120 : 4));
const only = process.env.MQ_TORTURE_SCENARIOS?.split(',').filter(Boolean);

describe('torture', () => {
  it('loses nothing, returns nothing half-written and keeps every order under random SIGKILLs', async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-torture-'));
    const report = await runTorture({ seed: parseSeed(process.env.MQ_TORTURE_SEED), form: full ? 'full' : 'short', seconds, workDir, ...(only ? { only } : {}) });
    console.log(formatReport(report));
    expect(report.violations, `kept for inspection: ${workDir}`).toEqual([]);
    expect(report.kills).toBeGreaterThan(0);
    fs.rmSync(workDir, { recursive: true, force: true });
  }, (seconds * 20 + 120) * 1000 * (full ? 2 : 1));
});
