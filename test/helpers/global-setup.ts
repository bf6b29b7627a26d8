// The end-to-end tests run dist/mq.cjs; make sure it exists (npm test builds it first).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (!existsSync('dist/mq.cjs')) execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
}
