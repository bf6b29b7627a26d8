// The one error type of mq. Every backend maps its native failures into these codes, so a caller sees
// the same code whatever the store; the CLI maps codes to exit statuses in one table (cli/exit-codes.ts).

export type MqErrorCode =
  // invalid input: the request itself is wrong and retrying it unchanged cannot help
  | 'INVALID_ARGUMENT'
  | 'INVALID_NAME'
  | 'INVALID_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'RECORD_TOO_LARGE'
  | 'RECEIPT_INVALID'
  // something named does not exist
  | 'QUEUE_NOT_FOUND'
  | 'STREAM_NOT_FOUND'
  | 'SHARD_NOT_FOUND'
  | 'GROUP_NOT_FOUND'
  // the request conflicts with the current state
  | 'ALREADY_EXISTS'
  | 'RECEIPT_STALE'
  | 'CONFLICT'
  | 'SHARD_CLOSED'
  | 'LEASE_LOST'
  | 'LOCKED'
  // the store itself failed, or is not safe to use
  | 'STORE_REFUSED'
  | 'CORRUPT'
  | 'IO'
  // the server (a NATS JetStream cluster) cannot be reached, or has no leader, within the time allowed
  | 'UNAVAILABLE'
  | 'INTERRUPTED'
  | 'INTERNAL';

// Marks every MqError, so that `instanceof MqError` holds for errors made by another copy of this module
// (the JetStream backend is a bundle of its own, loaded by the CLI's bundle on first use).
const ERROR_BRAND = Symbol.for('mq.MqError');

export class MqError extends Error {
  override readonly name = 'MqError';
  readonly code: MqErrorCode;

  constructor(code: MqErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }
}

// True for an MqError of any of the given codes (or of any code when none are given).
export function isMqError(error: unknown, ...codes: MqErrorCode[]): error is MqError {
  return error instanceof MqError && (codes.length === 0 || codes.includes(error.code));
}

export function invalidArgument(message: string): MqError {
  return new MqError('INVALID_ARGUMENT', message);
}
