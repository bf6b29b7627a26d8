// Streams as Kinesis names them: StreamName or StreamARN (arn:aws:kinesis:REGION:000000000000:stream/NAME)
// in requests, the ARN in responses, and its not-found message.
import { isMqError } from '../../core/errors.js';
import { ApiError } from '../api/api-error.js';

export const ACCOUNT_ID = '000000000000';

export const STREAM_NAME = { type: 'string', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9_.-]+$/ } as const;
export const STREAM_ARN = { type: 'string', minLength: 1, maxLength: 2048, pattern: /^arn:aws[a-z-]*:kinesis:[a-z0-9-]*:\d{12}:stream\/\S+$/ } as const;
export const STREAM_REF = { StreamName: STREAM_NAME, StreamARN: STREAM_ARN } as const;

export function streamArn(region: string, name: string): string {
  return `arn:aws:kinesis:${region}:${ACCOUNT_ID}:stream/${name}`;
}

// The stream a request names, by StreamName or StreamARN (one of them is required).
export function streamOf(input: { StreamName?: string; StreamARN?: string }): string {
  if (input.StreamName !== undefined) return input.StreamName;
  if (input.StreamARN !== undefined) return input.StreamARN.slice(input.StreamARN.indexOf(':stream/') + ':stream/'.length);
  throw new ApiError('ValidationException', 'Either StreamName or StreamARN should be provided.');
}

export function streamNotFound(name: string): ApiError {
  return new ApiError('ResourceNotFoundException', `Stream ${name} under account ${ACCOUNT_ID} not found.`);
}

// Runs `fn`, reporting a missing stream as Kinesis words it.
export async function onStream<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isMqError(error, 'STREAM_NOT_FOUND')) throw streamNotFound(name);
    throw error;
  }
}
