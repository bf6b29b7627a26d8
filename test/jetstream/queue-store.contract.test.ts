// Runs the queue contract against the JetStream backend (a fresh namespace per test).
import { describe } from 'vitest';
import { describeQueueStoreContract } from '../contract/queue-store.contract.js';
import { makeJetStreamBackend } from './fixture.js';

describe('JetStream', () => describeQueueStoreContract('NATS JetStream', makeJetStreamBackend));
