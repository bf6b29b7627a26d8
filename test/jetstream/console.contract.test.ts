// Runs the console contract against the JetStream backend (a fresh namespace per test).
import { describe } from 'vitest';
import { describeConsoleContract } from '../contract/console.contract.js';
import { makeJetStreamBackend } from './fixture.js';

describe('JetStream', () => describeConsoleContract('NATS JetStream', makeJetStreamBackend));
