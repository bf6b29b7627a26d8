// Build step: runs a few everyday commands in one process against a scratch store, then saves the code
// V8 compiled for the bundle as dist/mq.cjs.cache, which bin/load-bundle.cjs hands back to V8 at start-up.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadBundle } = require('../bin/load-bundle.cjs');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-warm-'));
process.env.MQ_HOME = home;
const bundle = loadBundle();
const commands = [
  ['create', 'jobs'], ['send', 'jobs', 'a', 'b'], ['receive', 'jobs', '-n', '2'], ['ack', 'jobs', 'r1.x'],
  ['stats', 'jobs'], ['create-stream', 'events'], ['put', 'events', 'x'], ['tail', 'events'], ['--help'],
];
(async () => {
  try {
    for (const argv of commands) await bundle.exports.run(argv);
    bundle.writeCache();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  process.exitCode = 0;
})();
