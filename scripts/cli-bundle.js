// The options of the CLI bundle (dist/mq.cjs), shared by the build and by the crash-state explorer's
// test builds (crash/run/mutant.ts), which add a plugin that changes one source file.

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
export const commonJsBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: give import.meta.url its CommonJS equivalent.
  define: { 'import.meta.url': '__mqImportMetaUrl' },
  banner: { js: "const __mqImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

export function cliBundleOptions(outfile, plugins = []) {
  return {
    ...commonJsBundle,
    entryPoints: ['src/cli/process-io.ts'],
    outfile,
    // Minified; commands are imported dynamically, so esbuild wraps each and a process evaluates only the
    // one it runs.
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    plugins: [lazyChildProcessForCommander, ...plugins],
  };
}
