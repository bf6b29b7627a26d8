// layout.ts is the one owner of the store's paths and fixed names: no other file of src/fs builds a path
// (checked by reading the sources), and the names it makes can be read back.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  StoreLayout, asideOf, atomicTempOf, dirsBetween, relativePath, splitRelativePath, takeoverLockOf,
} from '../../src/fs/layout.js';

const PATH_BUILDING = [
  /from 'node:path'|from 'path'|require\('(node:)?path'\)/,
  /\bpath\.(join|resolve|dirname|basename|relative|normalize|sep)\b/,
  /\}\/\$\{/, // `${dir}/${name}`
  /\+ *'\/'|'\/' *\+/,
];

describe('layout', () => {
  it('is the only file of src/fs that builds paths', () => {
    const files = (fs.readdirSync('src/fs', { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && f !== 'layout.ts');
    expect(files.length).toBeGreaterThan(40);
    const offending: string[] = [];
    for (const file of files) {
      const lines = fs.readFileSync(path.join('src/fs', file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line.trimStart().startsWith('//') && PATH_BUILDING.some((pattern) => pattern.test(line))) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it('names trash entries so that their time reads back, whatever dashes the label has', () => {
    const store = new StoreLayout('/s');
    const entry = store.trashEntry('queue-my-jobs', 1767225600000, '0a1b');
    expect(path.dirname(entry)).toBe('/s/trash');
    expect(store.trashedAt(path.basename(entry))).toBe(1767225600000);
    expect(store.trashedAt('stray-file')).toBeNull();
  });

  it('puts temp, takeover and aside names beside the file they belong to', () => {
    expect(atomicTempOf('/s/queues/q/queue.json', 'ab')).toBe('/s/queues/q/.queue.json.ab.tmp');
    expect(takeoverLockOf('/s/queues/q/lock')).toBe('/s/queues/q/lock.takeover');
    expect(asideOf('/s/queues/q/lock', 'ab')).toBe('/s/queues/q/lock.ab.aside');
    const store = new StoreLayout('/s');
    expect(store.staging(store.queue('jobs').dir, 'jobs', 'ab')).toBe('/s/queues/.new-jobs-ab');
    expect(store.queue('jobs').stagedMessage('01ID')).toBe('/s/queues/jobs/tmp/01ID.new');
  });

  it('lists the directories between a base and a target below it, and the holders of a new root', () => {
    expect(dirsBetween('/s/q/ready', '/s/q/ready/a/b/c')).toEqual(['/s/q/ready/a', '/s/q/ready/a/b', '/s/q/ready/a/b/c']);
    expect(dirsBetween('/s/q/damaged', '/s/q/damaged')).toEqual([]);
    expect(new StoreLayout('/a/b/c').rootHolders('/a/b')).toEqual(['/a/b', '/a']);
  });

  it('writes and reads back the relative paths receipts carry', () => {
    expect(splitRelativePath(relativePath('gAB', '0001.x'))).toEqual(['gAB', '0001.x']);
  });
});
