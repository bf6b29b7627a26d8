// Runs the stream, resharding and lease contracts against the JetStream backend (a fresh namespace per test).
import { describe } from 'vitest';
import { describeStreamStoreContract } from '../contract/stream-store.contract.js';
import { describeStreamReshardContract } from '../contract/stream-reshard.contract.js';
import { describeStreamLeaseContract } from '../contract/stream-leases.contract.js';
import { makeJetStreamBackend } from './fixture.js';

describe('JetStream', () => {
  describeStreamStoreContract('NATS JetStream', makeJetStreamBackend);
  describeStreamReshardContract('NATS JetStream', makeJetStreamBackend);
  describeStreamLeaseContract('NATS JetStream', makeJetStreamBackend);
});
