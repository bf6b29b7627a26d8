// Runs the resharding and lease contracts against the file-system backend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBackend } from '../../../src/fs/fs-backend.js';
import { describeStreamReshardContract } from '../../contract/stream-reshard.contract.js';
import { describeStreamLeaseContract } from '../../contract/stream-leases.contract.js';

const makeBackend = async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-contract-'));
  return {
    backend: createFsBackend({ home, durability: 'none' }),
    cleanup: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
};

describeStreamReshardContract('file system', makeBackend);
describeStreamLeaseContract('file system', makeBackend);
