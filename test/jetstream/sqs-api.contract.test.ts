// Runs the SQS API contract (the AWS SDK against mq serve) over the JetStream backend (a fresh namespace per test).
import { describeSqsApiContract } from '../contract/sqs-api.contract.js';
import { describeJetStream, makeJetStreamBackend } from './fixture.js';

describeJetStream('JetStream', () => describeSqsApiContract('NATS JetStream', makeJetStreamBackend));
