// Runs the SQS API contract (the AWS SDK against mq serve) over the JetStream backend (a fresh namespace per test).
import { describe } from 'vitest';
import { describeSqsApiContract } from '../contract/sqs-api.contract.js';
import { makeJetStreamBackend } from './fixture.js';

describe('JetStream', () => describeSqsApiContract('NATS JetStream', makeJetStreamBackend));
