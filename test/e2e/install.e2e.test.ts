// Installs the package as a user would, from the tarball `npm pack` makes of this build: globally into a
// temporary prefix (as the user nobody when run as root), into a separate project for the library, and
// through npx; then runs mq, man mq and the library (test/install/check-install.sh says how). CI runs the
// same script on a clean checkout with the install of a fresh clone too (.ci/run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-pack-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the package', () => {
  it('is mq-cli, MIT-licensed with the licence text, and says where it lives and what it is', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(pkg).toMatchObject({
      name: 'mq-cli', license: 'MIT', bin: { mq: 'bin/mq.cjs' }, man: ['./dist/mq.1'],
      repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) },
      bugs: { url: expect.stringMatching(/^https:\/\/.+\/issues$/) },
      scripts: { prepare: 'node scripts/prepare.js' },
    });
    expect(pkg.keywords).toEqual(expect.arrayContaining(['queue', 'sqs', 'kinesis', 'cli']));
    // The one runtime dependency is the NATS client, pinned, which the library loads for a nats:// URL only
    // (the CLI carries its own copy in dist/mq-jetstream.cjs).
    expect(pkg.dependencies).toEqual({ '@nats-io/transport-node': expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(pkg.devDependencies.commander).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  });
});

describe('the prepare script', () => {
  it('finds the build tools of a checkout where they are installed, and misses them where they are not', async () => {
    expect((await execa(process.execPath, ['scripts/prepare.js', '--check'])).stdout).toBe('');
    const bare = path.join(scratch, 'bare');
    fs.mkdirSync(path.join(bare, 'scripts'), { recursive: true });
    fs.copyFileSync('scripts/prepare.js', path.join(bare, 'scripts', 'prepare.js'));
    fs.copyFileSync('package.json', path.join(bare, 'package.json'));
    expect((await execa(process.execPath, [path.join(bare, 'scripts', 'prepare.js'), '--check'])).stdout).toBe('esbuild\ntypescript\ncommander');
  });
});

describe('installing the package', () => {
  it('gives a working mq, man mq and library from the packed tarball: global install, a project, npx', async () => {
    // dist/ is this run's build (npm test builds first), so packing need not build again.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { reject: false });
    expect(packed.exitCode, packed.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'bin/mq.cjs', 'dist/mq.cjs', 'dist/mq-jetstream.cjs', 'dist/mq-serve.cjs', 'dist/mq.1', 'dist/lib/index.js', 'dist/lib/index.d.ts']) expect(paths).toContain(file);
    // The library is only what src/index.ts reaches: no CLI, nothing that needs commander.
    expect(paths.filter((file) => file.startsWith('dist/lib/cli/'))).toEqual([]);
    for (const file of paths.filter((p) => p.startsWith('dist/lib/') && p.endsWith('.js'))) expect([file, fs.readFileSync(file, 'utf8').includes('commander')]).toEqual([file, false]);
    const checked = await execa('bash', ['test/install/check-install.sh', path.join(scratch, filename)], { reject: false, all: true });
    expect(checked.exitCode, checked.all).toBe(0);
    expect(checked.all).toMatch(/check-install: passed\n?$/);
  }, 600_000);
});
