// Test builds of mq with one fsync removed, to show that the explorer finds the bug that makes: the CLI
// bundled as `npm run build` bundles it (scripts/cli-bundle.js), with one source file changed on the way
// in. The shipped build and its code path are untouched.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations.
import { cliBundleOptions } from '../../scripts/cli-bundle.js';

export interface Mutation {
  name: string;
  // What the change breaks, for reports.
  what: string;
  // A source file, relative to the repository root, and the exact text replaced (it must occur once).
  file: string;
  find: string;
  replace: string;
}

export const MUTATIONS: Mutation[] = [
  {
    name: 'no-bucket-fsync',
    what: 'a send does not fsync the ready bucket directories after renaming its messages into them',
    file: 'src/fs/queue/staging.ts',
    find: 'if (durable) fsyncDirs(touched);',
    replace: '/* mutant: no directory fsync */',
  },
  {
    name: 'no-segment-fdatasync',
    what: 'a put does not fdatasync the segment before printing sequence numbers',
    file: 'src/fs/stream/append.ts',
    find: 'if (ctx.durable) fs.fdatasyncSync(file.fd);',
    replace: '/* mutant: no fdatasync */',
  },
];

// Builds the mutant into `outDir`; returns the command that runs it (node and its entry script).
export async function buildMutant(mutation: Mutation, outDir: string): Promise<string[]> {
  const root = path.resolve('.');
  const target = path.join(root, mutation.file);
  const source = fs.readFileSync(target, 'utf8');
  if (source.split(mutation.find).length !== 2) throw new Error(`${mutation.name}: "${mutation.find}" does not occur exactly once in ${mutation.file}`);
  const patch: Plugin = {
    name: `mutant-${mutation.name}`,
    setup(b) {
      b.onLoad({ filter: new RegExp(`${escapeRegExp(mutation.file)}$`) }, (args) => (args.path === target ? { contents: source.replace(mutation.find, mutation.replace), loader: 'ts' } : undefined));
    },
  };
  fs.mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'mq.cjs');
  await build({ ...(cliBundleOptions(bundle, [patch]) as object), absWorkingDir: root, minify: false });
  const entry = path.join(outDir, 'mq-entry.cjs');
  fs.writeFileSync(entry, `require(${JSON.stringify(path.join(root, 'bin/load-bundle.cjs'))}).loadBundle(${JSON.stringify(bundle)}).exports.run(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
  return [process.execPath, entry];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
