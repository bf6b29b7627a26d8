// The `prepare` script: builds mq (scripts/build.js). npm runs it after `npm ci` or `npm install` in a
// checkout, before `npm pack`, and on `npm install -g ./checkout` or `npm install -g git+URL`. In those last
// two, npm does not give the build its dev dependencies (the checkout is linked as it is; for a git URL,
// npm installs them under the global prefix, npm/cli#8440), so the build could not even start: then they
// are installed here first, into the checkout, from package-lock.json, with npm's global settings removed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BUILD_TOOLS = ['esbuild', 'typescript', 'commander'];

function missingTools() {
  const require = createRequire(path.join(root, 'package.json'));
  return BUILD_TOOLS.filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

function run(args, env = process.env) {
  const result = spawnSync(args[0], args.slice(1), { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`mq: prepare: ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
    process.exit(1);
  }
}

const missing = missingTools();
if (missing.length > 0) {
  const npm = process.env.npm_execpath;
  if (!npm) {
    console.error(`mq: prepare: the build needs ${missing.join(', ')}: run \`npm ci\` first`);
    process.exit(1);
  }
  console.error(`mq: prepare: installing the build's dev dependencies (${missing.join(', ')} missing) in ${root}`);
  // An install for this directory, not for the global prefix the outer `npm install -g` works on.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(global|prefix|location)$/i.test(key)));
  const install = existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install';
  run([process.execPath, npm, install, '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], env);
}
run([process.execPath, path.join(root, 'scripts', 'build.js')]);
