// The table of lazy repairs (src/fs/recovery.ts) and README "Recovery" name the same repairs, and every
// test the table names exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPAIRS } from '../../src/fs/recovery.js';

function recoverySection(): string {
  const readme = fs.readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Recovery\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('recovery', () => {
  it('names each repair once, with code and at least one test', () => {
    expect(new Set(REPAIRS.map((r) => r.name)).size).toBe(REPAIRS.length);
    for (const repair of REPAIRS) {
      expect([repair.name, repair.code.length > 0 && repair.code.every((f) => typeof f === 'function')]).toEqual([repair.name, true]);
      for (const test of repair.tests) expect([repair.name, test, fs.existsSync(path.join('test', test))]).toEqual([repair.name, test, true]);
    }
  });

  it('is described in README "Recovery", one row per repair, with its tests', () => {
    const section = recoverySection();
    const rows = section.split('\n').filter((line) => line.startsWith('| **'));
    expect(rows.map((row) => /^\| \*\*(.+?)\*\*/.exec(row)![1])).toEqual(REPAIRS.map((r) => r.name));
    for (const repair of REPAIRS) {
      const row = rows.find((line) => line.startsWith(`| **${repair.name}**`))!;
      for (const test of repair.tests) expect([repair.name, row.includes(`\`${test}\``)]).toEqual([repair.name, true]);
    }
  });
});
