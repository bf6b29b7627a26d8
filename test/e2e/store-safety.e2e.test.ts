// The store refuses what would make it unsafe: another user's store, links planted inside it, network
// file systems; and a planted link in place of a message is set aside, never followed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkFileSystemName } from '../../src/fs/store-root.js';
import { describeRun, jsonLines, runMq } from '../helpers/run-mq.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

describe('store safety', () => {
  it("refuses a store that belongs to another user", async () => {
    // As root, hand a fresh directory to another user; as anyone else, point at a root-owned directory.
    const home = process.getuid!() === 0 ? tempHome() : '/';
    if (process.getuid!() === 0) fs.chownSync(home, 4242, 4242);
    const result = await runMq(['create', 'jobs'], { home });
    expect(result.exitCode, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/^mq: store .* belongs to user \d+, not to you \(\d+\): refusing to use another user's store\n$/);
    if (home !== '/') expect(listTree(home)).toEqual([]);
  });

  it('creates the store private, with parents, on first use', async () => {
    const home = path.join(tempHome(), 'a', 'b', 'mq');
    expect((await runMq(['create', 'jobs'], { home })).exitCode).toBe(0);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
  });

  it('refuses a queue directory replaced by a symbolic link', async () => {
    const home = tempHome();
    const elsewhere = tempHome();
    await runMq(['create', 'jobs'], { home });
    fs.renameSync(path.join(home, 'queues', 'jobs'), path.join(elsewhere, 'jobs'));
    fs.symlinkSync(path.join(elsewhere, 'jobs'), path.join(home, 'queues', 'jobs'));
    const result = await runMq(['send', 'jobs', 'x'], { home });
    expect(result.exitCode, describeRun(result)).toBe(1);
    expect(result.stderr).toBe('mq: queue directory jobs is a symbolic link: mq does not follow links inside its store\n');
    expect(listTree(path.join(elsewhere, 'jobs', 'ready'))).toEqual([]);
  });

  it('sets aside a link planted where a message file should be, without reading its target', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs'], { home });
    await runMq(['send', 'jobs', 'real'], { home });
    const ready = path.join(home, 'queues', 'jobs', 'ready');
    const file = listTree(ready).find((p) => p.split('/').length === 4)!;
    const secret = path.join(tempHome(), 'secret');
    fs.writeFileSync(secret, '{"v":1,"body":"secret"}');
    const planted = path.join(ready, path.dirname(file), file.split('/').pop()!.replace(/^(\d{13})\.(\w{25})./, '$1.$20'));
    fs.symlinkSync(secret, planted);
    const received = await runMq(['receive', 'jobs', '-n', '10', '--body'], { home });
    expect(received.stdout).toBe('real\n');
    expect(jsonLines((await runMq(['stats', 'jobs', '--json'], { home })).stdout)[0]).toMatchObject({ damaged: 1 });
  });

  it('knows the network file systems by their statfs type', () => {
    expect(networkFileSystemName(0x6969)).toBe('NFS');
    expect(networkFileSystemName(0xff534d42)).toBe('CIFS');
    expect(networkFileSystemName(0x65735546)).toBe('FUSE');
    expect(networkFileSystemName(0xef53)).toBeNull();
    expect(networkFileSystemName(0x01021994)).toBeNull();
  });
});
