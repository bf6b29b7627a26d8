// Runs the Kinesis API contract (the AWS SDK against mq serve) over the JetStream backend (a fresh namespace per test).
import { describeKinesisApiContract } from '../contract/kinesis-api.contract.js';
import { describeJetStream, makeJetStreamBackend } from './fixture.js';

describeJetStream('JetStream', () => describeKinesisApiContract('NATS JetStream', makeJetStreamBackend));
