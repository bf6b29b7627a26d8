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

// Code only some commands need is a bundle of its own, so that dist/mq.cjs (and its code cache, which
// every process reads) stays the size of what a one-shot `mq send` runs: the import is replaced by a
// module that loads the other bundle (with its own code cache) through bin/load-bundle.cjs when the
// import runs. The JetStream backend with the NATS client (dist/mq-jetstream.cjs), imported dynamically by
// src/backends.ts when a URL is used; mq serve and mq console with their HTTP code (dist/mq-serve.cjs),
// imported dynamically by those two commands.
const SEPARATE_BUNDLES = [
  { source: /\/jetstream\/jetstream-backend\.js$/, importer: /src\/backends\.ts$/, bundle: 'mq-jetstream.cjs' },
  { source: /\/serve\/index\.js$/, importer: /src\/cli\/commands\/(serve|console)\.ts$/, bundle: 'mq-serve.cjs' },
];

const separateBundles = {
  name: 'separate-bundles',
  setup(build) {
    for (const { source, importer, bundle } of SEPARATE_BUNDLES) {
      build.onResolve({ filter: source }, (args) =>
        importer.test(args.importer) ? { path: bundle, namespace: 'mq-separate-bundle' } : undefined);
    }
    build.onLoad({ filter: /.*/, namespace: 'mq-separate-bundle' }, (args) => ({
      contents: "const path = require('node:path');\n"
        + `module.exports = require(path.join(__dirname, '..', 'bin', 'load-bundle.cjs')).loadBundle(path.join(__dirname, ${JSON.stringify(args.path)})).exports;`,
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
    plugins: [lazyChildProcessForCommander, separateBundles, ...plugins],
  };
}

// dist/mq-jetstream.cjs: the JetStream backend and the NATS client, loaded by dist/mq.cjs on first use.
export function jetstreamBundleOptions(outfile) {
  return separateBundleOptions('src/jetstream/jetstream-backend.ts', outfile);
}

// dist/mq-serve.cjs: mq serve and mq console (the SQS and Kinesis APIs, the web console, /metrics).
export function serveBundleOptions(outfile) {
  return separateBundleOptions('src/serve/index.ts', outfile);
}

function separateBundleOptions(entry, outfile) {
  return {
    ...commonJsBundle,
    entryPoints: [entry],
    outfile,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
  };
}
