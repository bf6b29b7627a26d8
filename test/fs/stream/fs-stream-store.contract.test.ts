// Runs the stream contract against the file-system backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import { describeStreamStoreContract } from '../../contract/stream-store.contract.js';

describeStreamStoreContract('file system', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-contract-'));
  return {
    backend: createFsBackend({ home, durability: 'none' }),
    cleanup: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
});
