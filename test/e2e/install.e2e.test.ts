// Installs the package as a user would, from the tarball `npm pack` makes of this build: globally into a
// temporary prefix (as the user nobody when run as root), into a separate project for the library, and
// through npx; then runs mq, man mq and the library (test/install/check-install.sh says how). CI runs the
// same script on a clean checkout with the clone and git+file installs too (.ci/run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-pack-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('installing the package', () => {
  it('gives a working mq, man mq and library from the packed tarball: global install, a project, npx', async () => {
    // dist/ is this run's build (npm test builds first), so packing need not build again.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { reject: false });
    expect(packed.exitCode, packed.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'bin/mq.cjs', 'dist/mq.cjs', 'dist/mq.1', 'dist/lib/index.js', 'dist/lib/index.d.ts']) expect(paths).toContain(file);
    // The library is only what src/index.ts reaches: no CLI, nothing that needs commander.
    expect(paths.filter((file) => file.startsWith('dist/lib/cli/'))).toEqual([]);
    for (const file of paths.filter((p) => p.startsWith('dist/lib/') && p.endsWith('.js'))) expect([file, fs.readFileSync(file, 'utf8').includes('commander')]).toEqual([file, false]);
    const checked = await execa('bash', ['test/install/check-install.sh', path.join(scratch, filename)], { reject: false, all: true });
    expect(checked.exitCode, checked.all).toBe(0);
    expect(checked.all).toMatch(/check-install: passed\n?$/);
  }, 600_000);
});
