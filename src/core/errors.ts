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

// ALREADY_EXISTS from a create: an attribute asked for that differs from the existing one's, both values
// as stored (milliseconds, bytes), so a caller can say it in its own terms (the CLI: as flags).
export interface AttributeConflict {
  attribute: string;
  existing: unknown;
  requested: unknown;
}

// Marks every MqError, so that `instanceof MqError` holds for errors made by another copy of this module
// (the JetStream backend is a bundle of its own, loaded by the CLI's bundle on first use).
const ERROR_BRAND = Symbol.for('mq.MqError');

export class MqError extends Error {
  override readonly name = 'MqError';
  readonly code: MqErrorCode;
  readonly conflicts?: readonly AttributeConflict[];

  constructor(code: MqErrorCode, message: string, options?: { cause?: unknown; conflicts?: readonly AttributeConflict[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.conflicts) this.conflicts = options.conflicts;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }
}

// The error of a create that names something existing with other attributes, each conflict in words.
export function existsWithOtherAttributes(subject: string, conflicts: AttributeConflict[], describe: (conflict: AttributeConflict) => string): MqError {
  return new MqError('ALREADY_EXISTS', `${subject} exists with different attributes: ${conflicts.map(describe).join('; ')}`, { conflicts });
}

// The attributes a create asked for (`requested`, with undefined for those not given) whose value, as the
// new thing would have it (`asCreated`), differs from the existing one's.
export function attributeConflicts<T extends object>(existing: T, requested: Partial<T>, asCreated: T): AttributeConflict[] {
  return (Object.keys(requested) as (keyof T & string)[])
    .filter((key) => requested[key] !== undefined && JSON.stringify(existing[key]) !== JSON.stringify(asCreated[key]))
    .map((key) => ({ attribute: key, existing: existing[key], requested: asCreated[key] }));
}

// True for an MqError of any of the given codes (or of any code when none are given).
export function isMqError(error: unknown, ...codes: MqErrorCode[]): error is MqError {
  return error instanceof MqError && (codes.length === 0 || codes.includes(error.code));
}

export function invalidArgument(message: string): MqError {
  return new MqError('INVALID_ARGUMENT', message);
}

// One entry's problem thrown for its whole batch (an atomic send or put), naming the entry's place when
// the batch has several: "message 3: ...", "record 2: ...".
export function entryError(error: MqError, what: 'message' | 'record', index: number, count: number): MqError {
  return new MqError(error.code, `${count > 1 ? `${what} ${index + 1}: ` : ''}${error.message}`);
}
