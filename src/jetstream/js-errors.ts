// JetStream's error answers, and how a failure of the server or the connection becomes an MqError: the
// decision by the status code or JetStream error code, never by the client's wording.
import { MqError } from '../core/errors.js';

// JetStream API error codes (err_code) that mq acts on.
export const JS_ERR = {
  CONSUMER_NOT_FOUND: 10014,
  INSUFFICIENT_RESOURCES: 10023,
  NO_MESSAGE_FOUND: 10037,
  JETSTREAM_NOT_ENABLED_FOR_ACCOUNT: 10039,
  INSUFFICIENT_STORAGE: 10047,
  STREAM_NAME_IN_USE: 10058,
  STREAM_NOT_FOUND: 10059,
  STREAM_WRONG_LAST_SEQUENCE: 10071,
  REPLICAS_NOT_SUPPORTED: 10074,
  JETSTREAM_NOT_ENABLED: 10076,
  TEMPORARILY_UNAVAILABLE: 10008,
  CONSUMER_NAME_EXISTS: 10013,
  MAXIMUM_CONSUMERS: 10026,
} as const;

// An error answer of the JetStream API (or of a publish to a stream).
export class JsApiError extends Error {
  override readonly name = 'JsApiError';

  constructor(readonly status: number, readonly errCode: number, readonly description: string, readonly subject: string) {
    super(`${description} (JetStream ${status}/${errCode} on ${subject})`);
  }
}

export function isJsError(error: unknown, ...errCodes: number[]): error is JsApiError {
  return error instanceof JsApiError && (errCodes.length === 0 || errCodes.includes(error.errCode));
}

// Failures worth trying again with the same request (and message id): no stream or API leader answered
// (no responders, a timeout, "temporarily unavailable"), as during a leader election.
export function isRetryable(error: unknown): boolean {
  if (error instanceof JsApiError) {
    // A full store answers 503 too: that does not pass by waiting.
    if (error.errCode === JS_ERR.INSUFFICIENT_RESOURCES || error.errCode === JS_ERR.INSUFFICIENT_STORAGE) return false;
    return error.status === 503 || error.errCode === JS_ERR.TEMPORARILY_UNAVAILABLE;
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'NoRespondersError') return true;
  if (name === 'RequestError') return isNoResponders(error);
  return false;
}

export function isNoResponders(error: unknown): boolean {
  if (error instanceof JsApiError) return error.status === 503 && error.errCode === 0;
  const e = error as { name?: string; isNoResponders?: () => boolean; cause?: { name?: string } } | undefined;
  return e?.name === 'NoRespondersError' || (e?.name === 'RequestError' && (e.isNoResponders?.() === true || e.cause?.name === 'NoResponders'));
}

// The MqError for a failure that no caller turned into something more specific.
export function toMqError(error: unknown, where: string): MqError {
  if (error instanceof MqError) return error;
  if (error instanceof JsApiError) {
    switch (error.errCode) {
      case JS_ERR.INSUFFICIENT_RESOURCES:
      case JS_ERR.INSUFFICIENT_STORAGE:
        return new MqError('STORE_REFUSED', `the NATS cluster at ${where} has no room left: ${error.description}`, { cause: error });
      case JS_ERR.JETSTREAM_NOT_ENABLED:
      case JS_ERR.JETSTREAM_NOT_ENABLED_FOR_ACCOUNT:
        return new MqError('STORE_REFUSED', `JetStream is not enabled at ${where}: ${error.description}`, { cause: error });
    }
    if (isRetryable(error)) return unavailable(where, error);
    return new MqError('INTERNAL', `the NATS server at ${where} refused a request: ${error.message}`, { cause: error });
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'AuthorizationError' || name === 'UserAuthenticationExpiredError' || name === 'PermissionViolationError') {
    return new MqError('STORE_REFUSED', `the NATS server at ${where} refused access: ${(error as Error).message}`, { cause: error });
  }
  if (isRetryable(error) || name === 'ConnectionError' || name === 'ClosedConnectionError' || name === 'DrainingConnectionError') {
    return unavailable(where, error);
  }
  return new MqError('INTERNAL', `NATS client error at ${where}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

export function unavailable(where: string, cause: unknown, what = 'no answer'): MqError {
  const reason = cause instanceof Error ? describeCause(cause) : what;
  return new MqError('UNAVAILABLE', `the NATS cluster at ${where} is unavailable: ${reason}`, { cause });
}

function describeCause(error: Error): string {
  if (isNoResponders(error)) return 'no JetStream leader answered (no responders)';
  if (error.name === 'TimeoutError') return 'no answer in time';
  const code = (error.cause as { code?: string } | undefined)?.code;
  return code ? `${error.message} (${code})` : error.message;
}
