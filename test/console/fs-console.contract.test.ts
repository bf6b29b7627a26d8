// Runs the console contract against the file-system backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { describeConsoleContract } from '../contract/console.contract.js';

describeConsoleContract('file system', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-console-'));
  return {
    backend: createFsBackend({ home }),
    cleanup: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
});
