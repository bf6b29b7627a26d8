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

// The JetStream backend (src/jetstream, with the NATS client) is a bundle of its own, dist/mq-jetstream.cjs:
// src/backends.ts imports it dynamically when a URL is used, and in dist/mq.cjs that import loads the other
// bundle (with its own code cache) through bin/load-bundle.cjs. So dist/mq.cjs holds none of the client.
const jetstreamAsSeparateBundle = {
  name: 'jetstream-as-separate-bundle',
  setup(build) {
    build.onResolve({ filter: /\/jetstream\/jetstream-backend\.js$/ }, (args) =>
      args.importer.endsWith('src/backends.ts') ? { path: 'mq-jetstream', namespace: 'mq-jetstream' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'mq-jetstream' }, () => ({
      contents: "const path = require('node:path');\n"
        + "module.exports = require(path.join(__dirname, '..', 'bin', 'load-bundle.cjs')).loadBundle(path.join(__dirname, 'mq-jetstream.cjs')).exports;",
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
    plugins: [lazyChildProcessForCommander, jetstreamAsSeparateBundle, ...plugins],
  };
}

// dist/mq-jetstream.cjs: the JetStream backend and the NATS client, loaded by dist/mq.cjs on first use.
export function jetstreamBundleOptions(outfile) {
  return {
    ...commonJsBundle,
    entryPoints: ['src/jetstream/jetstream-backend.ts'],
    outfile,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
  };
}
