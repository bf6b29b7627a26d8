// The SQS query protocol (form fields in, XML out), as the AWS CLI v2 of Debian 12 and older SDKs speak
// it: flattened lists and maps, numbers as text, errors as an ErrorResponse with the legacy codes.
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../src/core/message.js';
import { startTestServer } from '../helpers/serve.js';

async function query(endpoint: string, fields: Record<string, string>, path = '/'): Promise<{ status: number; xml: string }> {
  const response = await fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2012-11-05', ...fields }).toString(),
  });
  expect(response.headers.get('content-type')).toBe('text/xml');
  return { status: response.status, xml: await response.text() };
}

const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

describe('SQS query protocol', () => {
  it('creates a queue with flattened attributes and tags, and answers in XML', async () => {
    const t = await startTestServer();
    const created = await query(t.endpoint, {
      Action: 'CreateQueue', QueueName: 'jobs', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '45', 'Tag.1.Key': 'team', 'Tag.1.Value': 'ops',
    });
    expect(created.status).toBe(200);
    expect(created.xml).toMatch(/^<\?xml version="1.0"\?><CreateQueueResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><CreateQueueResult><QueueUrl>http:\/\/127.0.0.1:\d+\/000000000000\/jobs<\/QueueUrl><\/CreateQueueResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateQueueResponse>$/);
    const attributes = await query(t.endpoint, { Action: 'GetQueueAttributes', QueueUrl: t.queueUrl('jobs'), 'AttributeName.1': 'VisibilityTimeout', 'AttributeName.2': 'QueueArn' });
    expect(attributes.xml).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute><Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:jobs</Value></Attribute>');
    expect((await query(t.endpoint, { Action: 'ListQueueTags', QueueUrl: t.queueUrl('jobs') })).xml).toContain('<Tag><Key>team</Key><Value>ops</Value></Tag>');
    const listed = await query(t.endpoint, { Action: 'ListQueues', QueueNamePrefix: 'j' });
    expect(tag(listed.xml, 'QueueUrl')).toEqual([t.queueUrl('jobs')]);
  });

  it('sends with flattened message attributes and batches, receives with escaping, and deletes in a batch (posting to the queue URL)', async () => {
    const t = await startTestServer();
    await query(t.endpoint, { Action: 'CreateQueue', QueueName: 'jobs' });
    const path = '/000000000000/jobs';
    const body = 'a < b & "c"\r\nend';
    const sent = await query(t.endpoint, {
      Action: 'SendMessage', QueueUrl: t.queueUrl('jobs'), MessageBody: body, DelaySeconds: '0',
      'MessageAttribute.1.Name': 'n', 'MessageAttribute.1.Value.DataType': 'Number', 'MessageAttribute.1.Value.StringValue': '7',
      'MessageAttribute.2.Name': 'b', 'MessageAttribute.2.Value.DataType': 'Binary', 'MessageAttribute.2.Value.BinaryValue': Buffer.from([1, 2]).toString('base64'),
    }, path);
    expect(tag(sent.xml, 'MD5OfMessageBody')).toEqual([md5Hex(body)]);
    const batch = await query(t.endpoint, {
      Action: 'SendMessageBatch', QueueUrl: t.queueUrl('jobs'),
      'SendMessageBatchRequestEntry.1.Id': 'x', 'SendMessageBatchRequestEntry.1.MessageBody': 'two',
      'SendMessageBatchRequestEntry.2.Id': 'y', 'SendMessageBatchRequestEntry.2.MessageBody': 'bad\u0001',
    });
    expect(batch.xml).toContain('<SendMessageBatchResultEntry><Id>x</Id>');
    expect(batch.xml).toContain('<BatchResultErrorEntry><Id>y</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code>');
    const received = await query(t.endpoint, {
      Action: 'ReceiveMessage', QueueUrl: t.queueUrl('jobs'), MaxNumberOfMessages: '10', 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All',
    });
    expect(received.xml).toContain('<Body>a &lt; b &amp; &quot;c&quot;&#xD;\nend</Body>');
    expect(received.xml).toContain('<MessageAttribute><Name>n</Name><Value><StringValue>7</StringValue><DataType>Number</DataType></Value></MessageAttribute>');
    expect(received.xml).toContain('<MessageAttribute><Name>b</Name><Value><BinaryValue>AQI=</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>');
    expect(received.xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    const receipts = tag(received.xml, 'ReceiptHandle');
    expect(receipts).toHaveLength(2);
    const deleted = await query(t.endpoint, {
      Action: 'DeleteMessageBatch', QueueUrl: t.queueUrl('jobs'),
      'DeleteMessageBatchRequestEntry.1.Id': 'a', 'DeleteMessageBatchRequestEntry.1.ReceiptHandle': receipts[0]!,
      'DeleteMessageBatchRequestEntry.2.Id': 'b', 'DeleteMessageBatchRequestEntry.2.ReceiptHandle': receipts[1]!,
    });
    expect(tag(deleted.xml, 'Id')).toEqual(['a', 'b']);
    expect(deleted.xml).toContain('<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>');
    const none = await query(t.endpoint, { Action: 'ReceiveMessage', QueueUrl: t.queueUrl('jobs') });
    // An empty result is still there, as on SQS: botocore (the AWS CLI) fails without it.
    expect(none.xml).toMatch(/<ReceiveMessageResponse[^>]*><ReceiveMessageResult><\/ReceiveMessageResult><ResponseMetadata>/);
  });

  it('answers errors as an ErrorResponse with the legacy codes and statuses', async () => {
    const t = await startTestServer();
    const missing = await query(t.endpoint, { Action: 'GetQueueUrl', QueueName: 'none' });
    expect(missing.status).toBe(400);
    expect(missing.xml).toMatch(/<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>[^<]+<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/);
    await query(t.endpoint, { Action: 'CreateQueue', QueueName: 'jobs' });
    const badReceipt = await query(t.endpoint, { Action: 'DeleteMessage', QueueUrl: t.queueUrl('jobs'), ReceiptHandle: 'nonsense' });
    expect([badReceipt.status, tag(badReceipt.xml, 'Code')]).toEqual([404, ['ReceiptHandleIsInvalid']]);
    const notNumber = await query(t.endpoint, { Action: 'ReceiveMessage', QueueUrl: t.queueUrl('jobs'), MaxNumberOfMessages: 'ten' });
    expect([notNumber.status, tag(notNumber.xml, 'Code')]).toEqual([400, ['InvalidParameterValue']]);
    const noParameter = await query(t.endpoint, { Action: 'SendMessage', QueueUrl: t.queueUrl('jobs') });
    expect(tag(noParameter.xml, 'Code')).toEqual(['MissingParameter']);
    const unknown = await query(t.endpoint, { Action: 'FlyAway' });
    expect([unknown.status, tag(unknown.xml, 'Code')]).toEqual([400, ['InvalidAction']]);
    const batch = await query(t.endpoint, { Action: 'DeleteMessageBatch', QueueUrl: t.queueUrl('jobs') });
    expect(tag(batch.xml, 'Code')).toEqual(['MissingParameter']);
    const empty = await query(t.endpoint, { Action: 'ChangeMessageVisibilityBatch', QueueUrl: t.queueUrl('jobs'), 'ChangeMessageVisibilityBatchRequestEntry.1.Id': 'x', 'ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle': 'r', 'ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout': '1' });
    expect(empty.xml).toContain('<BatchResultErrorEntry><Id>x</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>');
  });

  it('takes the action in the URL of a GET, as old SDKs may send it', async () => {
    const t = await startTestServer();
    const response = await fetch(`${t.endpoint}/?Action=CreateQueue&QueueName=viaget&Version=2012-11-05`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('/000000000000/viaget</QueueUrl>');
  });
});
