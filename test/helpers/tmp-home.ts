// A fresh store directory per test, removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

export function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-test-'));
  homes.push(home);
  return home;
}

// Every file below `dir`, relative to it, sorted (for "nothing was written" checks).
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}
