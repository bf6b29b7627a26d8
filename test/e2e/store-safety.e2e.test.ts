// The store refuses what would make it unsafe: another user's store, links planted inside it, network
// file systems, receipts forged to reach another queue's messages or paths outside the queue; and a
// planted link in place of a message is set aside, never followed.
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

  it('refuses a receipt of one queue used on another, and leaves both queues untouched', async () => {
    const home = tempHome();
    for (const queue of ['a', 'b']) {
      await runMq(['create', queue], { home });
      await runMq(['send', queue, `${queue}-1`, `${queue}-2`], { home });
    }
    const [fromA] = jsonLines<{ receipt: string; body: string }>((await runMq(['receive', 'a', '--visibility-timeout', '1h'], { home })).stdout);
    const [fromB] = jsonLines<{ receipt: string }>((await runMq(['receive', 'b', '--visibility-timeout', '1h'], { home })).stdout);
    const before = [listTree(path.join(home, 'queues', 'a')), listTree(path.join(home, 'queues', 'b'))];
    for (const args of [['ack', 'b', fromA!.receipt], ['nack', 'b', fromA!.receipt], ['extend', 'b', fromA!.receipt, '0s']]) {
      const result = await runMq(args, { home });
      expect(result.exitCode, describeRun(result)).toBe(2);
      expect(result.stderr).toMatch(/^mq: invalid receipt "r1\.\S+": it was issued by queue "a", not "b"\n$/);
    }
    // The same delivery name re-labelled as b's: a well-formed receipt of b naming no message of b.
    const [, payload] = fromA!.receipt.split('.');
    const relabelled = `r1.${Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(/^a\//, 'b/')).toString('base64url')}`;
    const stale = await runMq(['ack', 'b', relabelled], { home });
    expect([stale.exitCode, stale.stdout]).toEqual([4, '']);
    expect([listTree(path.join(home, 'queues', 'a')), listTree(path.join(home, 'queues', 'b'))]).toEqual(before);
    // Both deliveries are still live under their own receipts.
    expect((await runMq(['ack', 'a', fromA!.receipt], { home })).exitCode).toBe(0);
    expect((await runMq(['ack', 'b', fromB!.receipt], { home })).exitCode).toBe(0);
  });

  it('refuses a hand-made receipt naming a path outside the queue, touching nothing', async () => {
    const home = tempHome();
    await runMq(['create', 'jobs'], { home });
    await runMq(['create', 'orders.fifo', '--content-dedup'], { home });
    await runMq(['send', 'orders.fifo', '--group', 'g', 'x'], { home });
    const decoy = path.join(home, 'decoy');
    fs.writeFileSync(decoy, 'keep');
    const victim = path.join(home, 'queues', 'orders.fifo', 'queue.json');
    const name = '1767225630000.01KDQ8H4W0Z4M5V3N6P7Q8R9S0.1.1767225600000.1767225600000.aaaaaaaaaaaaaaaa';
    const forged = (text: string) => `r1.${Buffer.from(text).toString('base64url')}`;
    const receipts: [string, string][] = [
      ['jobs', forged('jobs/../../decoy')], ['jobs', forged(`jobs/${decoy}`)], ['jobs', forged('jobs/../orders.fifo/queue.json')],
      ['jobs', forged(`jobs/${name}/../../../decoy`)], ['jobs', forged(`jobs/inflight/${name}`)],
      ['orders.fifo', forged('orders.fifo/../../../decoy')], ['orders.fifo', forged('orders.fifo/gZw/../../queue.json')],
      ['orders.fifo', forged(`orders.fifo/${name}`)],
    ];
    for (const [queue, receipt] of receipts) {
      for (const args of [['ack', queue, receipt], ['nack', queue, receipt], ['extend', queue, receipt, '1m']]) {
        const result = await runMq(args, { home });
        expect([args, result.exitCode, result.stderr]).toEqual([args, 2, expect.stringMatching(/^mq: invalid receipt "r1\.\S+": not a receipt issued by mq\n$/)]);
      }
    }
    expect(fs.readFileSync(decoy, 'utf8')).toBe('keep');
    expect(fs.existsSync(victim)).toBe(true);
    expect(jsonLines((await runMq(['stats', 'orders.fifo', '--json'], { home })).stdout)[0]).toMatchObject({ visible: 1 });
  });

  it('knows the network file systems by their statfs type', () => {
    expect(networkFileSystemName(0x6969)).toBe('NFS');
    expect(networkFileSystemName(0xff534d42)).toBe('CIFS');
    expect(networkFileSystemName(0x65735546)).toBe('FUSE');
    expect(networkFileSystemName(0xef53)).toBeNull();
    expect(networkFileSystemName(0x01021994)).toBeNull();
  });
});
