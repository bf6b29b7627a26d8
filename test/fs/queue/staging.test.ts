// Publishing staged message files: write them whole, then rename them into place and fsync the
// directories they went to.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeStaged, writeStaged } from '../../../src/fs/queue/staging.js';
import { tempHome } from '../../helpers/tmp-home.js';

describe('staging', () => {
  it('does not fail a durable publish whose directory a consumer emptied and removed before the fsync', async () => {
    // A FIFO group directory is removed as soon as its consumers have taken everything out of it, which
    // can happen between the rename into it and the fsync of it (found by the torture suite).
    const home = tempHome();
    const group = path.join(home, 'groups', 'g');
    fs.mkdirSync(group, { recursive: true });
    const staged = [{ temp: path.join(home, 'm1.new'), data: 'one' }];
    await writeStaged(staged, true, home);
    expect(() => placeStaged(staged, true, home, (item, touched) => {
      fs.renameSync(item.temp, path.join(group, 'm1'));
      touched.add(group);
      // The consumer: receives and deletes the message, then removes the empty group directory.
      fs.unlinkSync(path.join(group, 'm1'));
      fs.rmdirSync(group);
    })).not.toThrow();
  });
});
