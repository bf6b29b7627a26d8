// A store of a newer format than this mq reads: every command refuses it with one line naming both
// versions, exit 1, and writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { expectRun, runMq } from '../helpers/run-mq.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

describe('store format', () => {
  it('refuses a store of a newer format, naming both versions', async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'store.json'), '{"version":2}\n');
    const line = `mq: store ${home} has format version 2, newer than this mq reads (version 1): use a newer mq\n`;
    for (const args of [['create', 'jobs'], ['send', 'jobs', 'x'], ['stats', 'jobs'], ['ls'], ['put', 'ev', 'x']]) {
      expectRun(await runMq(args, { home }), 1, '', line);
    }
    expect(listTree(home)).toEqual(['store.json']);
  });

  it('writes the version of a store it creates', async () => {
    const home = path.join(tempHome(), 'mq');
    expectRun(await runMq(['create', 'jobs'], { home }), 0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'store.json'), 'utf8'))).toEqual({ version: 1 });
  });
});
