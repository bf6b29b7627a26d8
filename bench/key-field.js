// `mq put --key-field`: is the byte scanner of src/cli/input/key-field.ts worth its code? Two CLI bundles
// are built from the sources in a scratch directory, the real one and one whose key reader is plain
// JSON.parse (keyFromField on each line's text), and `mq put STREAM --key-field user.id` of the same NDJSON
// file runs with each, interleaved round by round (one shard, durability none, results to /dev/null).
// Prints the best and median CPU time (user + system) and wall time of each, and their ratio: on a shared
// machine the CPU time of the process is the steadier figure. Sizes: BENCH_KEY_FIELD_LINES (default
// 300,000), BENCH_KEY_FIELD_ROUNDS (default 5). Run: `npm run build && node bench/key-field.js`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { cliBundleOptions } from '../scripts/cli-bundle.js';
import { config, int, repoRoot } from './lib/config.js';
import { createWorkspace } from './lib/workspace.js';
import { printTable } from './lib/table.js';
import { fmtCount, fmtMs, fmtRate, fmtRatio, median, rate } from './lib/stats.js';

const lines = int('BENCH_KEY_FIELD_LINES', config.quick ? 20_000 : 300_000);
const rounds = int('BENCH_KEY_FIELD_ROUNDS', config.quick ? 2 : 5);
const keyFieldSource = path.join(repoRoot, 'src', 'cli', 'input', 'key-field.ts');

// The key-field module with its scanner taken out: createKeyFieldReader decodes each line and calls
// keyFromField (JSON.parse), as the scanner itself does for every line it is unsure of.
function jsonParseOnly() {
  const source = fs.readFileSync(keyFieldSource, 'utf8');
  const keyFromField = /\/\/ The partition key of a JSON line[^]*?\n}\n/.exec(source)?.[0];
  if (!keyFromField) throw new Error(`bench: keyFromField not found in ${keyFieldSource}`);
  return {
    name: 'key-field-json-parse',
    setup(b) {
      b.onLoad({ filter: /src\/cli\/input\/key-field\.ts$/ }, () => ({
        loader: 'ts',
        resolveDir: path.dirname(keyFieldSource),
        contents: `import { MqError } from '../../core/errors.js';
${keyFromField}
export function createKeyFieldReader(path: string) {
  return (bytes: Uint8Array, start: number, end: number) =>
    keyFromField(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end), path);
}
`,
      }));
    },
  };
}

// Event lines of about 110 bytes, the key two levels down, as in the README's example.
function writeLines(file) {
  const ops = ['login', 'logout', 'view', 'purchase'];
  let text = '';
  for (let i = 0; i < lines; i++) {
    text += `{"ts":${1767225600000 + i},"user":{"id":"user-${i % 5000}","plan":"pro"},"op":"${ops[i % 4]}","path":"/items/${i % 977}","ms":${i % 300}}\n`;
  }
  fs.writeFileSync(file, text);
  return text.length / lines;
}

// Runs mq from `bundle`; the process reports its own CPU time on stderr once mq has finished.
function runMq(bundle, home, args, stdio) {
  const loader = path.join(repoRoot, 'bin', 'load-bundle.cjs');
  const code = `require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(bundle)}).exports.run(process.argv.slice(1))`
    + ".then((c) => { process.exitCode = c; const u = process.cpuUsage(); process.stderr.write('cpu ' + (u.user + u.system) / 1000 + '\\n'); })";
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', code, ...args], { env: { ...process.env, MQ_HOME: home }, stdio });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stderr = String(result.stderr ?? '');
  if (result.status !== 0) throw new Error(`mq ${args.join(' ')} exited ${result.status ?? result.signal}: ${stderr.trim()}`);
  return { wallMs, cpuMs: Number(/cpu ([\d.]+)/.exec(stderr)?.[1]) };
}

const ws = createWorkspace(config.tmpRoot, config.keep);
try {
  const bundles = { scanner: ws.path('scanner', 'mq.cjs'), 'JSON.parse': ws.path('json-parse', 'mq.cjs') };
  await build({ ...cliBundleOptions(bundles.scanner), absWorkingDir: repoRoot, logLevel: 'error' });
  await build({ ...cliBundleOptions(bundles['JSON.parse'], [jsonParseOnly()]), absWorkingDir: repoRoot, logLevel: 'error' });
  const input = ws.path('lines.ndjson');
  const lineBytes = writeLines(input);
  const wall = { scanner: [], 'JSON.parse': [] };
  const cpu = { scanner: [], 'JSON.parse': [] };
  for (let round = 1; round <= rounds; round++) {
    for (const [variant, bundle] of Object.entries(bundles)) {
      const home = ws.path(`home-${round}-${variant.replace('.', '')}`);
      runMq(bundle, home, ['create-stream', 'ev', '--durability', 'none'], ['ignore', 'ignore', 'pipe']);
      const fd = fs.openSync(input, 'r');
      try {
        const result = runMq(bundle, home, ['put', 'ev', '--key-field', 'user.id'], [fd, 'ignore', 'pipe']);
        wall[variant].push(result.wallMs);
        cpu[variant].push(result.cpuMs);
      } finally {
        fs.closeSync(fd);
      }
      fs.rmSync(home, { recursive: true, force: true });
      console.error(`[key-field] round ${round}/${rounds}: ${variant} ${fmtMs(wall[variant].at(-1))} wall, ${fmtMs(cpu[variant].at(-1))} CPU`);
    }
  }
  const best = (series, variant) => Math.min(...series[variant]);
  printTable(
    `mq put --key-field user.id, ${fmtCount(lines)} lines of ${Math.round(lineBytes)} B, one shard, durability none (${rounds} interleaved rounds)`,
    ['key reader', 'CPU best', 'CPU median', 'wall best', 'wall median', 'lines/s (CPU best)', 'vs JSON.parse (CPU best)'],
    Object.keys(bundles).map((variant) => [
      variant, fmtMs(best(cpu, variant)), fmtMs(median(cpu[variant])), fmtMs(best(wall, variant)), fmtMs(median(wall[variant])),
      fmtRate(rate(lines, best(cpu, variant))), fmtRatio(best(cpu, 'JSON.parse') / best(cpu, variant)),
    ]),
  );
} finally {
  ws.cleanup();
}
