// Builds the CLI as one bundled, minified file with a V8 code cache (fast start-up) and the library as
// plain ES modules with type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cliBundleOptions } from './cli-bundle.js';

rmSync('dist', { recursive: true, force: true });
await build(cliBundleOptions('dist/mq.cjs'));
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/warm-code-cache.cjs'], { stdio: 'ignore' });
