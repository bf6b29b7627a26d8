// Builds the CLI as one bundled, minified file with a V8 code cache (fast start-up) and the library as
// plain ES modules with type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

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

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/process-io.ts'],
  outfile: 'dist/mq.cjs',
  // One CommonJS file, loaded with a V8 code cache by bin/load-bundle.cjs (Node 20 has no compile cache
  // for ES modules), minified; commands are imported dynamically, so esbuild wraps each and a process
  // evaluates only the one it runs.
  minify: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  // The sources are ES modules: give import.meta.url its CommonJS equivalent.
  define: { 'import.meta.url': '__mqImportMetaUrl' },
  banner: { js: "const __mqImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  plugins: [lazyChildProcessForCommander],
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/warm-code-cache.cjs'], { stdio: 'ignore' });
