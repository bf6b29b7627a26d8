// Runs the Kinesis API contract (the AWS SDK against mq serve) over the file-system backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { describeKinesisApiContract } from '../contract/kinesis-api.contract.js';

describeKinesisApiContract('file system', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-kinesis-api-'));
  const backend = createFsBackend({ home, durability: 'none' });
  return {
    backend,
    cleanup: async () => {
      await backend.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
});
