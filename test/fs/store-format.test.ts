// The store's format version: written when the store is created (or first written to, for a store made
// before versions), checked at every open: a newer format is refused, naming both versions; a read of a
// store without the file writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { STORE_FORMAT_VERSION } from '../../src/fs/store-format.js';
import { MqError } from '../../src/core/errors.js';
import { listTree, tempHome } from '../helpers/tmp-home.js';

const formatFile = (home: string) => path.join(home, 'store.json');

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MqError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('store format version', () => {
  it('is written when the store is created', async () => {
    const home = path.join(tempHome(), 'new');
    await createFsBackend({ home }).queues.create('jobs');
    expect(JSON.parse(fs.readFileSync(formatFile(home), 'utf8'))).toEqual({ version: STORE_FORMAT_VERSION });
    expect(fs.statSync(formatFile(home)).mode & 0o777).toBe(0o600);
  });

  it('is taken as 1 for a store made before versions: reads write nothing, the first write adds it', async () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'queues'));
    expect(await createFsBackend({ home }).queues.list()).toEqual([]);
    expect(listTree(home)).toEqual(['queues']);
    await createFsBackend({ home }).queues.create('jobs');
    expect(JSON.parse(fs.readFileSync(formatFile(home), 'utf8'))).toEqual({ version: 1 });
  });

  it('refuses a store of a newer format, for reads and writes, naming both versions', async () => {
    const home = tempHome();
    fs.writeFileSync(formatFile(home), '{"version":2}\n');
    const expected = {
      code: 'STORE_REFUSED',
      message: `store ${home} has format version 2, newer than this mq reads (version ${STORE_FORMAT_VERSION}): use a newer mq`,
    };
    expect(await refusal(createFsBackend({ home }).queues.list())).toEqual(expected);
    const writes = tempHome();
    fs.writeFileSync(formatFile(writes), '{"version":7}\n');
    expect((await refusal(createFsBackend({ home: writes }).streams.create('ev'))).message).toMatch(/format version 7, newer than this mq reads \(version 1\)/);
    expect(listTree(writes)).toEqual(['store.json']);
  });

  it('reports an unreadable version file as a damaged store', async () => {
    const home = tempHome();
    fs.writeFileSync(formatFile(home), 'v2');
    expect((await refusal(createFsBackend({ home }).queues.list())).code).toBe('CORRUPT');
  });
});
