// Runs the console contract against the JetStream backend (a fresh namespace per test).
import { describeConsoleContract } from '../contract/console.contract.js';
import { describeJetStream, makeJetStreamBackend } from './fixture.js';

describeJetStream('JetStream', () => describeConsoleContract('NATS JetStream', makeJetStreamBackend));
