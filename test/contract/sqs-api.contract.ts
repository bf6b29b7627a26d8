// The SQS API through the AWS SDK for JavaScript v3 (JSON protocol), every action and its errors, against
// a real mq serve over any backend (a fresh one per test, from the factory). The SDK verifies
// MD5OfMessageBody itself; MD5OfMessageAttributes is checked here against the digest of what was sent.
// Where backends differ by design (BackendTraits, documented in the README), an assertion holds for the
// backends with the trait, and the others are held to their documented behaviour instead.
import {
  CancelMessageMoveTaskCommand, ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand,
  DeleteMessageBatchCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand, ListMessageMoveTasksCommand, ListQueueTagsCommand, ListQueuesCommand, PurgeQueueCommand,
  ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, StartMessageMoveTaskCommand,
  TagQueueCommand, UntagQueueCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { BackendTraits } from '../../src/core/backend.js';
import { md5Hex, md5OfAttributes } from '../../src/core/message.js';
import { type TestServer, useServedBackend } from '../helpers/serve.js';
import type { BackendFactory } from './backend-fixture.js';

function arn(name: string): string {
  return `arn:aws:sqs:us-east-1:000000000000:${name}`;
}

async function create(t: TestServer, name: string, attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name, ...(attributes ? { Attributes: attributes } : {}) }));
  return QueueUrl!;
}

async function receiveAll(sqs: SQSClient, QueueUrl: string, extra: Record<string, unknown> = {}) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }));
  return Messages ?? [];
}

export function describeSqsApiContract(backendName: string, makeBackend: BackendFactory): void {
  describe(`SQS API contract: ${backendName}`, () => {
    let t: TestServer;
    let traits: BackendTraits;
    useServedBackend(makeBackend, (served) => {
      t = served;
      traits = served.backend.traits;
    });

    describe('SQS API: queues', () => {
      it('creates a queue with the defaults, idempotently, and refuses different attributes', async () => {
        const url = await create(t, 'jobs');
        expect(url).toBe(t.queueUrl('jobs'));
        expect(await create(t, 'jobs')).toBe(url);
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
        expect(Attributes).toMatchObject({
          VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600', MaximumMessageSize: '1048576',
          ReceiveMessageWaitTimeSeconds: '0', ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0',
          ApproximateNumberOfMessagesDelayed: '0', QueueArn: arn('jobs'),
        });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'jobs', Attributes: { VisibilityTimeout: '60' } }))).rejects.toMatchObject({
          name: 'QueueNameExists', Code: 'QueueAlreadyExists', $metadata: { httpStatusCode: 400 },
        });
      });

      it('refuses bad names, unknown attributes and values out of range', async () => {
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'bad/name' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { Colour: 'blue' } as never }))).rejects.toMatchObject({ name: 'InvalidAttributeName' });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { VisibilityTimeout: '43201' } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { DelaySeconds: 'soon' } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'q.fifo' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new CreateQueueCommand({ QueueName: 'q', Attributes: { FifoQueue: 'true' } }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new CreateQueueCommand({} as never))).rejects.toMatchObject({ name: 'MissingParameter' });
      });

      it('finds queue URLs, lists by prefix with pagination, and deletes', async () => {
        for (const name of ['a1', 'a2', 'a3', 'b1']) await create(t, name);
        expect((await t.sqs.send(new GetQueueUrlCommand({ QueueName: 'a2' }))).QueueUrl).toBe(t.queueUrl('a2'));
        await expect(t.sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({
          name: 'QueueDoesNotExist', Code: 'AWS.SimpleQueueService.NonExistentQueue',
        });
        expect((await t.sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual(['a1', 'a2', 'a3', 'b1'].map(t.queueUrl));
        const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a', MaxResults: 2 }));
        expect(first.QueueUrls).toEqual(['a1', 'a2'].map(t.queueUrl));
        const second = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a', MaxResults: 2, NextToken: first.NextToken! }));
        expect(second).toMatchObject({ QueueUrls: [t.queueUrl('a3')] });
        expect(second.NextToken).toBeUndefined();
        await t.sqs.send(new DeleteQueueCommand({ QueueUrl: t.queueUrl('a1') }));
        await expect(t.sqs.send(new DeleteQueueCommand({ QueueUrl: t.queueUrl('a1') }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
        expect((await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }))).QueueUrls).toBeUndefined();
      });

      it('gets only the attributes asked for and sets them', async () => {
        const url = await create(t, 'jobs');
        expect((await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url }))).Attributes).toBeUndefined();
        await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5', ReceiveMessageWaitTimeSeconds: '2' } }));
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds'] }));
        expect(Attributes).toEqual({ VisibilityTimeout: '5', ReceiveMessageWaitTimeSeconds: '2' });
        await expect(t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as never] }))).rejects.toMatchObject({ name: 'InvalidAttributeName' });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MessageRetentionPeriod: '59' } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: 'true' } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: t.queueUrl('none'), Attributes: { DelaySeconds: '1' } }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
      });

      it('purges every message', async () => {
        const url = await create(t, 'jobs');
        for (let i = 0; i < 3; i++) await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
        await receiveAll(t.sqs, url);
        await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
        expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
      });

      it('keeps tags: TagQueue overwrites and adds, UntagQueue removes, CreateQueue sets them', async () => {
        await t.sqs.send(new CreateQueueCommand({ QueueName: 'jobs', tags: { team: 'ops' } }));
        const url = t.queueUrl('jobs');
        expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'ops' });
        await t.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'dev', Cost: '42' } }));
        expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'dev', Cost: '42' });
        await t.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['team', 'absent'] }));
        expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ Cost: '42' });
        await t.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['Cost'] }));
        expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toBeUndefined();
        await expect(t.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { 'aws:x': '1' } }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new ListQueueTagsCommand({ QueueUrl: t.queueUrl('none') }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
      });
    });

    describe('SQS API: messages', () => {
      it('sends and receives with every attribute type, the digests and the system attributes', async () => {
        const url = await create(t, 'jobs');
        const MessageAttributes = {
          city: { DataType: 'String', StringValue: 'Any City' },
          count: { DataType: 'Number', StringValue: '42.5' },
          blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 254, 255]) },
          id: { DataType: 'String.uuid', StringValue: 'f00' },
        };
        const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo\r\n', MessageAttributes }));
        expect(sent.MD5OfMessageBody).toBe(md5Hex('héllo\r\n'));
        expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes({
          city: 'Any City', count: { type: 'Number', value: '42.5' }, blob: { type: 'Binary', binary: Buffer.from([0, 1, 254, 255]).toString('base64') },
          id: { type: 'String.uuid', value: 'f00' },
        }));
        const [message] = await receiveAll(t.sqs, url, { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
        expect(message).toMatchObject({ MessageId: sent.MessageId, Body: 'héllo\r\n', MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
        expect(message!.MessageAttributes).toEqual({
          city: { DataType: 'String', StringValue: 'Any City' },
          count: { DataType: 'Number', StringValue: '42.5' },
          blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 254, 255]) },
          id: { DataType: 'String.uuid', StringValue: 'f00' },
        });
        expect(message!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000' });
        expect(Number(message!.Attributes!.SentTimestamp)).toBeLessThanOrEqual(Number(message!.Attributes!.ApproximateFirstReceiveTimestamp));
      });

      it('returns only the attributes asked for, by name or prefix, with the digest of those', async () => {
        const url = await create(t, 'jobs');
        await t.sqs.send(new SendMessageCommand({
          QueueUrl: url, MessageBody: 'x',
          MessageAttributes: { 'app.a': { DataType: 'String', StringValue: '1' }, 'app.b': { DataType: 'String', StringValue: '2' }, other: { DataType: 'String', StringValue: '3' } },
        }));
        const [message] = await receiveAll(t.sqs, url, { MessageAttributeNames: ['app.*'], VisibilityTimeout: 0 });
        expect(Object.keys(message!.MessageAttributes!)).toEqual(['app.a', 'app.b']);
        expect(message!.MD5OfMessageAttributes).toBe(md5OfAttributes({ 'app.a': '1', 'app.b': '2' }));
        const [plain] = await receiveAll(t.sqs, url);
        expect(plain!.MessageAttributes).toBeUndefined();
        expect(plain!.Attributes).toBeUndefined();
      });

      it('refuses invalid messages and parameters with SQS errors', async () => {
        const url = await create(t, 'small', { MaximumMessageSize: '1024' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a\u0000b' }))).rejects.toMatchObject({ name: 'InvalidMessageContents' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } }))).rejects.toMatchObject({ name: 'InvalidMessageContents' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url } as never))).rejects.toMatchObject({ name: 'MissingParameter' });
        await expect(t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: t.queueUrl('none'), MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
      });

      it('hides a received message for its visibility timeout, and shows it again at once after ChangeMessageVisibility 0', async () => {
        const url = await create(t, 'jobs');
        await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
        const [first] = await receiveAll(t.sqs, url);
        expect(await receiveAll(t.sqs, url)).toEqual([]);
        await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle!, VisibilityTimeout: 0 }));
        const [second] = await receiveAll(t.sqs, url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
        expect(second).toMatchObject({ MessageId: first!.MessageId, Attributes: { ApproximateReceiveCount: '2' } });
        expect(second!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
        // The first handle is superseded: deleting with it deletes nothing (and succeeds, as on SQS). JetStream
        // acks by stream sequence: the older handle deletes the message, so the newer one then finds it gone.
        await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle! }));
        await expect(t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle!, VisibilityTimeout: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        if (!traits.staleReceiptsRefused) {
          await expect(t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle!, VisibilityTimeout: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        }
        await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle! }));
        await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle!, VisibilityTimeout: 0 })).catch(() => {});
        expect(await receiveAll(t.sqs, url)).toEqual([]);
        await expect(t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid', $metadata: { httpStatusCode: 404 } });
        await expect(t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'garbage', VisibilityTimeout: 1 }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
      });

      it('delays a message by DelaySeconds', async () => {
        const url = await create(t, 'jobs');
        await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
        expect(await receiveAll(t.sqs, url)).toEqual([]);
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
        expect(Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
        const [message] = await receiveAll(t.sqs, url, { WaitTimeSeconds: 5 });
        expect(message!.Body).toBe('later');
      });

      it('long-polls: a waiting receive returns as soon as another client sends', async () => {
        const url = await create(t, 'jobs');
        const started = Date.now();
        // Send only once the server is inside the backend's receive, so the wake-up is the send's doing.
        const queues = t.backend.queues;
        const receive = queues.receive.bind(queues);
        const receiving = new Promise<void>((resolve) => {
          queues.receive = (...args) => { resolve(); return receive(...args); };
        });
        const waiting = receiveAll(t.sqs, url, { WaitTimeSeconds: 20 });
        await receiving;
        await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake' }));
        const messages = await waiting;
        expect(messages.map((m) => m.Body)).toEqual(['wake']);
        expect(Date.now() - started).toBeLessThan(15_000);
      });

      it('sends a batch with per-entry outcomes, and refuses malformed batches whole', async () => {
        const url = await create(t, 'jobs');
        const result = await t.sqs.send(new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
            { Id: 'b', MessageBody: 'bad\u0001' },
            { Id: 'c', MessageBody: 'three', DelaySeconds: 0 },
          ],
        }));
        expect(result.Successful!.map((entry) => entry.Id)).toEqual(['a', 'c']);
        expect(result.Successful![0]!.MD5OfMessageAttributes).toBe(md5OfAttributes({ k: 'v' }));
        expect(result.Failed).toEqual([{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) }]);
        expect((await receiveAll(t.sqs, url)).map((m) => m.Body).sort()).toEqual(['one', 'three']);
        const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
        await expect(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] }))).rejects.toMatchObject({ name: 'EmptyBatchRequest' });
        await expect(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) }))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
        await expect(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: 'a' }, { Id: 'x', MessageBody: 'b' }] }))).rejects.toMatchObject({
          name: 'BatchEntryIdsNotDistinct', Code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        });
        await expect(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'no spaces', MessageBody: 'a' }] }))).rejects.toMatchObject({ name: 'InvalidBatchEntryId' });
        const big = Array.from({ length: 10 }, (_, i) => ({ Id: `b${i}`, MessageBody: 'x'.repeat(110_000) }));
        await expect(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: big }))).rejects.toMatchObject({ name: 'BatchRequestTooLong' });
      });

      it('deletes and changes visibility in batches, each entry on its own', async () => {
        const url = await create(t, 'jobs');
        await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
        const messages = await receiveAll(t.sqs, url);
        expect(messages).toHaveLength(3);
        const changed = await t.sqs.send(new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: [{ Id: 'ok', ReceiptHandle: messages[0]!.ReceiptHandle!, VisibilityTimeout: 0 }, { Id: 'bad', ReceiptHandle: 'nonsense', VisibilityTimeout: 0 }],
        }));
        expect(changed.Successful).toEqual([{ Id: 'ok' }]);
        expect(changed.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) }]);
        const [again] = await receiveAll(t.sqs, url);
        const deleted = await t.sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'again', ReceiptHandle: again!.ReceiptHandle! },
            { Id: 'two', ReceiptHandle: messages[1]!.ReceiptHandle! },
            { Id: 'three', ReceiptHandle: messages[2]!.ReceiptHandle! },
            { Id: 'bad', ReceiptHandle: 'nonsense' },
          ],
        }));
        expect(deleted.Successful!.map((entry) => entry.Id)).toEqual(['again', 'two', 'three']);
        expect(deleted.Failed!.map((entry) => [entry.Id, entry.Code])).toEqual([['bad', 'ReceiptHandleIsInvalid']]);
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
        expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
      });
    });

    describe('SQS API: FIFO queues', () => {
      // The `count` messages of the one group in queue `url`, in the order received: one receive where a receive
      // fills its batch from one group; on JetStream (at most one message per group per receive) one message
      // per receive, each deleted so that the group's next is delivered.
      async function receiveGroup(url: string, count: number, extra: Record<string, unknown> = {}) {
        if (traits.fifoBatchesPerGroup) return receiveAll(t.sqs, url, extra);
        const messages = [];
        while (messages.length < count) {
          const batch = await receiveAll(t.sqs, url, { ...extra, WaitTimeSeconds: 5 });
          expect(batch).toHaveLength(1);
          messages.push(batch[0]!);
          await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: batch[0]!.ReceiptHandle! }));
        }
        return messages;
      }

      it('orders a group, numbers messages, deduplicates, and needs a group', async () => {
        const url = await create(t, 'orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
        expect(Attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
        const first = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a', MessageGroupId: 'g' }));
        const duplicate = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a', MessageGroupId: 'g' }));
        const second = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
        expect(duplicate.MessageId).toBe(first.MessageId);
        expect(first.SequenceNumber! < second.SequenceNumber!).toBe(true);
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c' }))).rejects.toMatchObject({ name: 'MissingParameter' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c', MessageGroupId: 'g', DelaySeconds: 1 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
        const messages = await receiveGroup(url, 2, { MessageSystemAttributeNames: ['All'] });
        expect(messages.map((m) => m.Body)).toEqual(['a', 'b']);
        expect(messages[0]!.Attributes).toMatchObject({ MessageGroupId: 'g', SequenceNumber: first.SequenceNumber });
        expect(messages[1]!.Attributes).toMatchObject({ MessageDeduplicationId: 'd2' });
        const plain = await create(t, 'plain.fifo', { FifoQueue: 'true' });
        await expect(t.sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'x', MessageGroupId: 'g' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      });

      it('keeps a group in order through a batch', async () => {
        const url = await create(t, 'b.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
        await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3, 4].map((i) => ({ Id: `e${i}`, MessageBody: `m${i}`, MessageGroupId: 'g' })) }));
        expect((await receiveGroup(url, 4)).map((m) => m.Body)).toEqual(['m1', 'm2', 'm3', 'm4']);
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['DeduplicationScope', 'FifoThroughputLimit'] }));
        expect(Attributes).toEqual({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
      });
    });

    describe('SQS API: dead-letter queues and move tasks', () => {
      it('moves a message to the dead-letter queue after maxReceiveCount receives, with its source', async () => {
        const dlq = await create(t, 'jobs-dead');
        const url = await create(t, 'jobs', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('jobs-dead'), maxReceiveCount: '1' }) });
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
        expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: arn('jobs-dead'), maxReceiveCount: 1 });
        expect((await t.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
        const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
        await receiveAll(t.sqs, url, { VisibilityTimeout: 0 });
        expect(await receiveAll(t.sqs, url)).toEqual([]);
        const [dead] = await receiveAll(t.sqs, dlq, { MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'], VisibilityTimeout: 0 });
        expect(dead).toMatchObject({ MessageId: sent.MessageId, Attributes: { DeadLetterQueueSourceArn: arn('jobs') } });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('none'), maxReceiveCount: 3 }) } }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
        await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: '' } }));
        expect((await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }))).Attributes).toBeUndefined();
      });

      it('keeps RedriveAllowPolicy and enforces it when a queue names the dead-letter queue', async () => {
        const dlq = await create(t, 'dead', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('allowed')] }) });
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['RedriveAllowPolicy'] }));
        expect(JSON.parse(Attributes!.RedriveAllowPolicy!)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [arn('allowed')] });
        const policy = JSON.stringify({ deadLetterTargetArn: arn('dead'), maxReceiveCount: 3 });
        await create(t, 'allowed', { RedrivePolicy: policy });
        await expect(create(t, 'other', { RedrivePolicy: policy })).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } }));
        await expect(create(t, 'third', { RedrivePolicy: policy })).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue' }) } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
        await expect(t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"some"}' } }))).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
      });

      it('redrives with StartMessageMoveTask and reports the task in ListMessageMoveTasks', async () => {
        const dlq = await create(t, 'jobs-dead');
        const url = await create(t, 'jobs', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('jobs-dead'), maxReceiveCount: 1 }) });
        for (let i = 0; i < 3; i++) await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
        await receiveAll(t.sqs, url, { VisibilityTimeout: 0 });
        expect(await receiveAll(t.sqs, url)).toEqual([]);
        const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('jobs-dead') }));
        expect(TaskHandle).toEqual(expect.any(String));
        let results;
        for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
          ({ Results: results } = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('jobs-dead'), MaxResults: 10 })));
          if (results?.[0]?.Status === 'COMPLETED') break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(results).toEqual([expect.objectContaining({ Status: 'COMPLETED', SourceArn: arn('jobs-dead'), ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 })]);
        expect(results![0]!.TaskHandle).toBeUndefined();
        expect((await receiveAll(t.sqs, url)).map((m) => m.Body).sort()).toEqual(['m0', 'm1', 'm2']);
        expect(await receiveAll(t.sqs, dlq)).toEqual([]);
        await expect(t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('jobs') }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
        await expect(t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('none') }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        await expect(t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      });

      it('cancels a running move task, leaving moved messages where they went', async () => {
        await create(t, 'dead');
        const url = await create(t, 'src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('dead'), maxReceiveCount: 1 }) });
        await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
        await receiveAll(t.sqs, url, { VisibilityTimeout: 0 });
        expect(await receiveAll(t.sqs, url, { VisibilityTimeout: 0 })).toEqual([]);
        const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('dead'), MaxNumberOfMessagesPerSecond: 1 }));
        await expect(t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('dead') }))).rejects.toMatchObject({ name: 'UnsupportedOperation' });
        const [running] = (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('dead') }))).Results!;
        expect(running).toMatchObject({ Status: 'RUNNING', TaskHandle, MaxNumberOfMessagesPerSecond: 1 });
        const { ApproximateNumberOfMessagesMoved: moved } = await t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
        expect(moved).toBeLessThan(10);
        const [cancelled] = (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('dead') }))).Results!;
        expect(cancelled!.Status).toBe('CANCELLED');
        const { Attributes } = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
        expect(Number(Attributes!.ApproximateNumberOfMessages)).toBe(moved);
      });
    });

    describe('SQS API: requests', () => {
      it('answers an unknown action with an error the SDK reports', async () => {
        const response = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.Explode', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.sqs#UnknownOperationException' });
        const bad = await fetch(t.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{nope' });
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ __type: 'com.amazonaws.sqs#SerializationException' });
      });
    });
  });
}
