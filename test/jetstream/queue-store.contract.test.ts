// Runs the queue contract against the JetStream backend (a fresh namespace per test).
import { describeQueueStoreContract } from '../contract/queue-store.contract.js';
import { describeJetStream, makeJetStreamBackend } from './fixture.js';

describeJetStream('JetStream', () => describeQueueStoreContract('NATS JetStream', makeJetStreamBackend));
