// Builds the CLI as one bundled, minified file with a V8 code cache (fast start-up), the library as
// plain ES modules with type declarations (only what src/index.ts reaches: no CLI, no commander), and the
// man page dist/mq.1 from the CLI's own help text. `npm pack`, `npm ci` and an install from git run it
// (the `prepare` script).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cliBundleOptions, commonJsBundle, jetstreamBundleOptions, serveBundleOptions } from './cli-bundle.js';

rmSync('dist', { recursive: true, force: true });
await build(cliBundleOptions('dist/mq.cjs'));
await build(jetstreamBundleOptions('dist/mq-jetstream.cjs'));
await build(serveBundleOptions('dist/mq-serve.cjs'));
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/warm-code-cache.cjs'], { stdio: 'ignore' });
await writeManPage('dist/mq.1');

// Bundles the man page renderer in memory and runs it: the page is the help text of this very build.
async function writeManPage(file) {
  const result = await build({ ...commonJsBundle, entryPoints: ['src/cli/help/man-page.ts'], write: false });
  const module = { exports: {} };
  const filename = path.resolve('src/cli/help/man-page.cjs');
  new Function('module', 'exports', 'require', '__filename', result.outputFiles[0].text)(module, module.exports, createRequire(filename), filename);
  writeFileSync(file, await module.exports.renderManPage());
}
