// Build step: runs a few everyday commands in one process against a scratch store, then saves the code
// V8 compiled for the bundle as dist/mq.cjs.cache, which bin/load-bundle.cjs hands back to V8 at start-up.
// Then the same for the JetStream bundle (dist/mq-jetstream.cjs.cache): against a single nats-server
// started for the purpose when one is installed, else from loading the bundle only. The bundle of mq serve
// and mq console (dist/mq-serve.cjs.cache) from loading it: their start-up is not on a hot path.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadBundle } = require('../bin/load-bundle.cjs');

const COMMANDS = [
  ['create', 'jobs'], ['send', 'jobs', 'a', 'b'], ['receive', 'jobs', '-n', '2'], ['ack', 'jobs', 'r1.x'],
  ['stats', 'jobs'], ['create-stream', 'events'], ['put', 'events', 'x'], ['tail', 'events'], ['--help'],
];

async function runAll(bundle) {
  for (const argv of COMMANDS) await bundle.exports.run(argv);
}

async function warmFileStore() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-warm-'));
  process.env.MQ_HOME = home;
  try {
    const bundle = loadBundle();
    await runAll(bundle);
    bundle.writeCache();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function warmJetStream() {
  const file = path.join(__dirname, '..', 'dist', 'mq-jetstream.cjs');
  if (!fs.existsSync(file)) return;
  let cluster;
  try {
    const { findNatsServer, startCluster } = await import('../test/helpers/nats-cluster.js');
    if (findNatsServer()) {
      cluster = await startCluster({ nodes: 1, readyTimeoutMs: 15_000 });
      process.env.MQ_URL = cluster.url;
      process.env.MQ_NAMESPACE = 'warm';
      await runAll(loadBundle());
    }
  } catch {
    // No server, or it failed: the cache then holds what loading compiles.
  } finally {
    await cluster?.stop();
  }
  loadBundle(file).writeCache();
}

(async () => {
  await warmFileStore();
  await warmJetStream();
  loadBundle(path.join(__dirname, '..', 'dist', 'mq-serve.cjs')).writeCache();
  process.exitCode = 0;
})();
