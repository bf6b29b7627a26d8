// Loads the CLI bundle (dist/mq.cjs) with V8's code cache for it (dist/mq.cjs.cache, made by
// `npm run build` with this same Node), so a process skips most of compiling 190 KB of JavaScript: start-up
// is most of the cost of a one-message `mq send`. A cache from another Node version is rejected by V8 and
// the bundle simply compiles as usual. The JetStream bundle (dist/mq-jetstream.cjs) loads the same way,
// once per process, when dist/mq.cjs first needs it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const loaded = new Map();

function loadBundle(bundle = path.join(__dirname, '..', 'dist', 'mq.cjs')) {
  if (!loaded.has(bundle)) loaded.set(bundle, compileBundle(bundle));
  return loaded.get(bundle);
}

function compileBundle(bundle) {
  const source = fs.readFileSync(bundle, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${bundle}.cache`);
  } catch {
    // No cache (a build without one): compile as usual.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cacheRejected: script.cachedDataRejected === true,
    // Writes the code compiled so far as the cache (the build does this after a warm-up run).
    writeCache: () => {
      fs.writeFileSync(`${bundle}.cache`, script.createCachedData());
      // Readable by everyone who may run this install of mq (the CLI runs with umask 077).
      fs.chmodSync(`${bundle}.cache`, 0o644);
    },
  };
}

module.exports = { loadBundle };
