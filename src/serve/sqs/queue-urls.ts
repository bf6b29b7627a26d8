// Queue URLs and ARNs as SQS writes them, for one local account: http://HOST:PORT/000000000000/NAME and
// arn:aws:sqs:REGION:000000000000:NAME. Any host and region are accepted in requests; the queue is the
// name at the end.
import { validateQueueName } from '../../core/names.js';
import { ApiError } from '../api/api-error.js';

export const ACCOUNT_ID = '000000000000';

export function queueUrl(endpoint: string, name: string): string {
  return `${endpoint}/${ACCOUNT_ID}/${name}`;
}

export function queueArn(region: string, name: string): string {
  return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`;
}

export function nonExistentQueue(): ApiError {
  return new ApiError('QueueDoesNotExist', 'The specified queue does not exist.', 400, 'AWS.SimpleQueueService.NonExistentQueue');
}

// The queue a QueueUrl names: the last segment of its path (http://host/000000000000/jobs, /000000000000/jobs).
export function queueNameFromUrl(url: string): string {
  const path = /^https?:\/\//i.test(url) ? url.replace(/^https?:\/\/[^/]*/i, '') : url;
  const match = /^\/?(?:[^/]+\/)?([^/?#]+)\/?$/.exec(path);
  if (!match) throw new ApiError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, 404, 'InvalidAddress');
  return checkedName(decodeURIComponent(match[1]!));
}

// The queue an SQS ARN names (arn:aws:sqs:us-east-1:000000000000:jobs).
export function queueNameFromArn(arn: string, parameter: string): string {
  const match = /^arn:aws[a-z-]*:sqs:[^:]*:[^:]*:([^:]+)$/.exec(arn);
  if (!match) throw new ApiError('InvalidParameterValue', `Value ${arn} for parameter ${parameter} is invalid. Reason: not an SQS queue ARN.`);
  return checkedName(match[1]!);
}

function checkedName(name: string): string {
  try {
    return validateQueueName(name);
  } catch {
    throw nonExistentQueue();
  }
}
