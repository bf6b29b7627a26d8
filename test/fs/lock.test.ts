import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { acquireLock, holderAlive, readHolder, tryLock, tryLockOrTakeOver } from '../../src/fs/lock.js';
import { MqError } from '../../src/core/errors.js';
import { tempHome } from '../helpers/tmp-home.js';

describe('the O_EXCL lock', () => {
  it('is held by one at a time and can be taken again once released', () => {
    const lock = path.join(tempHome(), 'lock');
    const first = tryLock(lock);
    expect(first).not.toBeNull();
    expect(tryLock(lock)).toBeNull();
    first!.release();
    expect(fs.existsSync(lock)).toBe(false);
    expect(tryLock(lock)).not.toBeNull();
  });

  it('holds its holder from the moment it exists: a link whose target names the process, never an empty file', () => {
    const lock = path.join(tempHome(), 'lock');
    const handle = tryLock(lock);
    expect(fs.lstatSync(lock).isSymbolicLink()).toBe(true);
    expect(readHolder(lock)).toMatch(new RegExp(`^${process.pid} \\d+ [0-9a-f]+ [0-9a-f]{32}$`));
    handle!.release();
    expect(readHolder(lock)).toBeNull();
  });

  it('fails with LOCKED, naming the holder, when the wait runs out', async () => {
    const lock = path.join(tempHome(), 'lock');
    tryLock(lock);
    const error = await acquireLock(lock, { waitMs: 50, what: 'queue "jobs"' }).catch((e: MqError) => e);
    expect(error).toBeInstanceOf(MqError);
    expect((error as MqError).code).toBe('LOCKED');
    expect((error as MqError).message).toBe(`queue "jobs" is locked by process ${process.pid}`);
  });

  it('takes over a lock whose holder died', async () => {
    const lock = path.join(tempHome(), 'lock');
    const child = execa(process.execPath, ['-e', '']);
    await child;
    const pid = child.pid!;
    fs.symlinkSync(`${pid} 12345 abc`, lock);
    expect(holderAlive(readHolder(lock)!)).toBe(false);
    const handle = await acquireLock(lock, { waitMs: 1000 });
    expect(readHolder(lock)!).toMatch(new RegExp(`^${process.pid} `));
    handle.release();
  });

  it('takes over at once when a taker died holding the takeover lock too (no wait for it to age)', async () => {
    const lock = path.join(tempHome(), 'lock');
    const child = execa(process.execPath, ['-e', '']);
    await child;
    fs.symlinkSync(`${child.pid} 12345 abc`, lock);
    fs.symlinkSync(`${child.pid} 12345 def`, `${lock}.takeover`);
    const handle = tryLockOrTakeOver(lock);
    expect(handle).not.toBeNull();
    expect(readHolder(lock)).toMatch(new RegExp(`^${process.pid} `));
    expect(fs.existsSync(`${lock}.takeover`)).toBe(false);
    handle!.release();
  });

  it('takes over a lock whose holder died but was not reaped yet by its parent (a zombie)', async () => {
    // The child exits after its parent has become `sleep`, which never waits for it (a child that exits
    // before the exec may be reaped by the shell).
    const parent = execa('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { reject: false });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
      const stat = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      while (stat()[0] !== 'Z') await new Promise((resolve) => setTimeout(resolve, 5));
      const lock = path.join(tempHome(), 'lock');
      fs.symlinkSync(`${pid} ${stat()[19]} abc`, lock);
      const handle = await acquireLock(lock, { waitMs: 0 });
      expect(readHolder(lock)!).toMatch(new RegExp(`^${process.pid} `));
      handle.release();
    } finally {
      parent.kill('SIGKILL');
      await parent;
    }
  });

  it('treats a token of an earlier boot as dead, even when its pid and start time match a live process', () => {
    const lock = path.join(tempHome(), 'lock');
    tryLock(lock);
    const [pid, start, nonce] = readHolder(lock)!.split(' ');
    expect(holderAlive(`${pid} ${start} ${nonce} ${'0'.repeat(32)}`)).toBe(false);
    expect(holderAlive(`${pid} ${start} ${nonce}`)).toBe(true);
  });

  it('waits out a takeover another live process is making instead of spinning, and fails with LOCKED in time', async () => {
    const lock = path.join(tempHome(), 'lock');
    const child = execa(process.execPath, ['-e', '']);
    await child;
    fs.symlinkSync(`${child.pid} 12345 abc`, lock);
    const taker = tryLock(`${lock}.takeover`);
    const started = Date.now();
    await expect(acquireLock(lock, { waitMs: 200 })).rejects.toThrow(/locked/);
    expect(Date.now() - started).toBeLessThan(2_000);
    taker!.release();
    (await acquireLock(lock, { waitMs: 1000 })).release();
  });

  it('treats a reused pid with another start time as dead, and a live holder as alive', () => {
    expect(holderAlive(`${process.pid} 1 x`)).toBe(false);
    const lock = path.join(tempHome(), 'lock');
    tryLock(lock);
    expect(holderAlive(readHolder(lock)!)).toBe(true);
  });

  it('excludes other processes: four processes incrementing one counter lose no increment', async () => {
    const dir = tempHome();
    const counter = path.join(dir, 'counter');
    fs.writeFileSync(counter, '0');
    const fixture = path.resolve('test/fixtures/lock-counter.mjs');
    await Promise.all(Array.from({ length: 4 }, () => execa(process.execPath, [fixture, path.join(dir, 'lock'), counter, '250'])));
    expect(fs.readFileSync(counter, 'utf8')).toBe('1000');
  });
});
