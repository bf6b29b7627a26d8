// Runs the Kinesis API contract (the AWS SDK against mq serve) over the JetStream backend (a fresh namespace per test).
import { describe } from 'vitest';
import { describeKinesisApiContract } from '../contract/kinesis-api.contract.js';
import { makeJetStreamBackend } from './fixture.js';

describe('JetStream', () => describeKinesisApiContract('NATS JetStream', makeJetStreamBackend));
