// Builds the CLI as one bundled, minified file with a V8 code cache (fast start-up), the library as
// plain ES modules with type declarations (only what src/index.ts reaches: no CLI, no commander), and the
// man page dist/mq.1 from the CLI's own help text. `npm pack`, `npm ci` and an install from git run it
// (the `prepare` script).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// commander requires node:child_process at load (for executable subcommands, which mq does not use);
// that pulls in net and streams, several milliseconds of every start. Give commander a stand-in that
// loads the real module only if a property is ever read.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'mq-lazy' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'mq-lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// One CommonJS file: bin/load-bundle.cjs loads it with a V8 code cache (Node 20 has no compile cache for
// ES modules).
const commonJsBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: give import.meta.url its CommonJS equivalent.
  define: { 'import.meta.url': '__mqImportMetaUrl' },
  banner: { js: "const __mqImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...commonJsBundle,
  entryPoints: ['src/cli/process-io.ts'],
  outfile: 'dist/mq.cjs',
  // Minified; commands are imported dynamically, so esbuild wraps each and a process evaluates only the
  // one it runs.
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  plugins: [lazyChildProcessForCommander],
});
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
