// The SQS API: every action by name, for the JSON protocol (X-Amz-Target: AmazonSQS.<Action>,
// application/x-amz-json-1.0) and the query protocol (Action=<Action> in a form, XML answers), with the
// query protocol's flattened names.
import type { ServiceApi } from '../api/service.js';
import { GetQueueAttributes, SetQueueAttributes } from './actions/attributes.js';
import { ChangeMessageVisibility, ChangeMessageVisibilityBatch, DeleteMessage, DeleteMessageBatch } from './actions/delete.js';
import { CancelMessageMoveTask, ListDeadLetterSourceQueues, ListMessageMoveTasks, StartMessageMoveTask } from './actions/move-tasks.js';
import { CreateQueue, DeleteQueue, GetQueueUrl, ListQueues, PurgeQueue } from './actions/queues.js';
import { ReceiveMessage } from './actions/receive.js';
import { SendMessage, SendMessageBatch } from './actions/send.js';
import { ListQueueTags, TagQueue, UntagQueue } from './actions/tags.js';

export const sqsApi: ServiceApi = {
  name: 'sqs',
  targetPrefix: 'AmazonSQS',
  jsonContentType: 'application/x-amz-json-1.0',
  errorNamespace: 'com.amazonaws.sqs',
  queryCompatible: true,
  cbor: false,
  actions: {
    CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
    GetQueueAttributes, SetQueueAttributes,
    SendMessage, SendMessageBatch, ReceiveMessage,
    DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility, ChangeMessageVisibilityBatch,
    TagQueue, UntagQueue, ListQueueTags,
    ListDeadLetterSourceQueues, StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask,
  },
  query: {
    xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
    input: {
      Attribute: { member: 'Attributes', kind: 'map', key: 'Name', value: 'Value' },
      Tag: { member: 'Tags', kind: 'map', key: 'Key', value: 'Value' },
      MessageAttribute: { member: 'MessageAttributes', kind: 'map', key: 'Name', value: 'Value' },
      MessageSystemAttribute: { member: 'MessageSystemAttributes', kind: 'map', key: 'Name', value: 'Value' },
      AttributeName: { member: 'AttributeNames', kind: 'list' },
      MessageAttributeName: { member: 'MessageAttributeNames', kind: 'list' },
      MessageSystemAttributeName: { member: 'MessageSystemAttributeNames', kind: 'list' },
      TagKey: { member: 'TagKeys', kind: 'list' },
      StringListValue: { member: 'StringListValues', kind: 'list' },
      BinaryListValue: { member: 'BinaryListValues', kind: 'list' },
      SendMessageBatchRequestEntry: { member: 'Entries', kind: 'list' },
      DeleteMessageBatchRequestEntry: { member: 'Entries', kind: 'list' },
      ChangeMessageVisibilityBatchRequestEntry: { member: 'Entries', kind: 'list' },
    },
    output: {
      Attributes: { member: 'Attribute', kind: 'map', key: 'Name', value: 'Value' },
      Tags: { member: 'Tag', kind: 'map', key: 'Key', value: 'Value' },
      MessageAttributes: { member: 'MessageAttribute', kind: 'map', key: 'Name', value: 'Value' },
      Messages: { member: 'Message', kind: 'list' },
      QueueUrls: { member: 'QueueUrl', kind: 'list' },
      queueUrls: { member: 'QueueUrl', kind: 'list' },
      Successful: { member: '*ResultEntry', kind: 'list' },
      Failed: { member: 'BatchResultErrorEntry', kind: 'list' },
      Results: { member: '*ResultEntry', kind: 'list' },
    },
  },
};
