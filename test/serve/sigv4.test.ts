// Signature Version 4 off loopback: with keys configured, every request must be signed with one of them,
// in the Authorization header or as a presigned URL; a wrong secret, an unknown key, a missing signature,
// a stale date and a tampered request are refused with each service's error. Signed by the AWS SDK and
// by @smithy/signature-v4 (the SDK's own signer), checked by mq's verifier.
import { createHash, createHmac } from 'node:crypto';
import { CreateStreamCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { sigV4Authenticator } from '../../src/serve/auth/sigv4.js';
import { CREDENTIALS, startTestServer } from '../helpers/serve.js';

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const KEYS = new Map([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey], ['second', 'other-secret']]);

async function signedServer() {
  return startTestServer({ authenticator: sigV4Authenticator(KEYS) });
}

function clients(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, systemClockOffset = 0) {
  const common = { endpoint, region: 'eu-west-1', credentials, maxAttempts: 1, systemClockOffset };
  return { sqs: new SQSClient(common), kinesis: new KinesisClient(common) };
}

describe('SigV4 verification', () => {
  it('accepts requests the SDKs sign with a configured key (HTTP/1.1 and HTTP/2), and takes the region from the signature', async () => {
    const t = await signedServer();
    const { sqs, kinesis } = clients(t.endpoint, CREDENTIALS);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    expect(QueueUrl).toBe(t.queueUrl('jobs'));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'ev', ShardCount: 1 }));
    const { sqs: second } = clients(t.endpoint, { accessKeyId: 'second', secretAccessKey: 'other-secret' });
    expect((await second.send(new ListQueuesCommand({}))).QueueUrls).toEqual([QueueUrl]);
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamSummaries![0]!.StreamARN).toBe('arn:aws:kinesis:eu-west-1:000000000000:stream/ev');
    for (const client of [sqs, kinesis, second]) client.destroy();
  });

  it('refuses a wrong secret, an unknown key and a stale date with each service\'s error', async () => {
    const t = await signedServer();
    const wrong = clients(t.endpoint, { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'guess' });
    await expect(wrong.sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(wrong.kinesis.send(new ListStreamsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    const unknown = clients(t.endpoint, { accessKeyId: 'nobody', secretAccessKey: 'x' });
    await expect(unknown.sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(unknown.kinesis.send(new ListStreamsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const stale = clients(t.endpoint, CREDENTIALS, -20 * 60_000);
    await expect(stale.sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: 'RequestExpired' });
    await expect(stale.kinesis.send(new ListStreamsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(/Signature expired/) });
    for (const c of [wrong, unknown, stale]) for (const client of Object.values(c)) client.destroy();
  });

  it('refuses an unsigned request, and one whose body was changed after signing', async () => {
    const t = await signedServer();
    const unsigned = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'com.amazonaws.sqs#MissingAuthenticationToken' });
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'sqs', sha256: Sha256 });
    const url = new URL(t.endpoint);
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
      headers: { host: url.host, 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0' },
      body: '{"QueueName":"a"}',
    });
    const tampered = await fetch(t.endpoint, { method: 'POST', headers: signed.headers, body: '{"QueueName":"b"}' });
    expect(tampered.status).toBe(403);
    expect(await tampered.json()).toMatchObject({ __type: 'com.amazonaws.sqs#SignatureDoesNotMatch' });
    const honest = await fetch(t.endpoint, { method: 'POST', headers: signed.headers, body: '{"QueueName":"a"}' });
    expect(honest.status).toBe(200);
  });

  it('accepts a presigned URL until it expires, and refuses one whose query was changed', async () => {
    const t = await signedServer();
    const url = new URL(t.endpoint);
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'sqs', sha256: Sha256 });
    const request = (queueName: string) => ({
      method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
      query: { Action: 'CreateQueue', QueueName: queueName, Version: '2012-11-05' }, headers: { host: url.host },
    });
    const toUrl = (signed: { query?: Record<string, unknown> }) => `${t.endpoint}/?${new URLSearchParams(signed.query as Record<string, string>)}`;
    const presigned = await signer.presign(request('presigned'), { expiresIn: 60 });
    const ok = await fetch(toUrl(presigned));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('/000000000000/presigned</QueueUrl>');
    const changed = toUrl(presigned).replace('QueueName=presigned', 'QueueName=other');
    const refused = await fetch(changed);
    expect([refused.status, await refused.text()]).toEqual([403, expect.stringContaining('<Code>SignatureDoesNotMatch</Code>')]);
    const old = await signer.presign(request('old'), { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const expired = await fetch(toUrl(old));
    expect([expired.status, await expired.text()]).toEqual([403, expect.stringContaining('<Code>RequestExpired</Code>')]);
  });
});
