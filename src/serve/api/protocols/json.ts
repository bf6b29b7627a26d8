// The AWS JSON protocols (1.0 for SQS, 1.1 for Kinesis): the request body is one JSON object; in a
// response, blobs are base64 text and timestamps epoch seconds (a number with a fraction).
import { ApiError, apiErrors } from '../api-error.js';

export function decodeJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw apiErrors.serialization('Start of structure or map found where not expected.');
  }
}

export function encodeJson(output: object | void): Buffer {
  return Buffer.from(JSON.stringify(output === undefined ? {} : toJsonValue(output)), 'utf8');
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = toJsonValue(item);
    }
    return out;
  }
  return value;
}

// SQS (AWS query compatible) names its error types with a namespace; Kinesis does not.
export function jsonErrorBody(error: ApiError, namespace?: string): Buffer {
  return Buffer.from(JSON.stringify({ __type: namespace ? `${namespace}#${error.code}` : error.code, message: error.message }), 'utf8');
}
