// Name rules for queues and streams, checked before any path is built from a name: a name that passes
// can never contain a path separator, a dot-dot or any character outside a small ASCII set.
import { MqError } from './errors.js';

export const FIFO_SUFFIX = '.fifo';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function isFifoQueueName(name: string): boolean {
  return name.endsWith(FIFO_SUFFIX);
}

// Throws INVALID_NAME unless `name` is a valid standard or FIFO queue name (SQS rules).
export function validateQueueName(name: string): string {
  if (!QUEUE_NAME.test(name) && !FIFO_QUEUE_NAME.test(name)) {
    throw new MqError(
      'INVALID_NAME',
      `invalid queue name ${JSON.stringify(name)}: use 1-80 characters from A-Z a-z 0-9 _ - (a FIFO queue ends in .fifo)`,
    );
  }
  return name;
}

// Throws INVALID_NAME unless `name` is a valid stream name (Kinesis rules, minus the names . and ..).
export function validateStreamName(name: string): string {
  if (!STREAM_NAME.test(name) || name === '.' || name === '..') {
    throw new MqError(
      'INVALID_NAME',
      `invalid stream name ${JSON.stringify(name)}: use 1-128 characters from A-Z a-z 0-9 _ . -`,
    );
  }
  return name;
}

// Throws INVALID_NAME unless `name` is a valid consumer group name (the stream name rules).
export function validateGroupName(name: string): string {
  if (!STREAM_NAME.test(name) || name === '.' || name === '..') {
    throw new MqError(
      'INVALID_NAME',
      `invalid consumer group name ${JSON.stringify(name)}: use 1-128 characters from A-Z a-z 0-9 _ . -`,
    );
  }
  return name;
}
