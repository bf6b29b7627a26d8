// MqError codes as SQS and Kinesis report them: the one table that maps the engine's stable codes to
// AWS error codes and HTTP statuses (as src/cli/exit-codes.ts maps them to exit statuses). Typed by
// MqErrorCode, so a new code cannot go unmapped. An action that must answer otherwise for one code
// (SQS DeleteMessage with a superseded receipt succeeds, as on AWS) passes an override.
import { type MqErrorCode, MqError } from '../../core/errors.js';
import { type AuthFailureKind, AuthFailure } from '../auth/auth-failure.js';
import { ApiError } from './api-error.js';

export type Service = 'sqs' | 'kinesis';

// [JSON error code, HTTP status, legacy query code (SQS)]
type AwsError = readonly [code: string, status: number, queryCode?: string];

const NON_EXISTENT_QUEUE: AwsError = ['QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue'];
const SQS_INVALID: AwsError = ['InvalidParameterValue', 400];
const SQS_INTERNAL: AwsError = ['InternalFailure', 500];

const SQS: Record<MqErrorCode, AwsError> = {
  INVALID_ARGUMENT: SQS_INVALID,
  INVALID_NAME: SQS_INVALID,
  INVALID_MESSAGE: ['InvalidMessageContents', 400],
  MESSAGE_TOO_LARGE: SQS_INVALID,
  RECORD_TOO_LARGE: SQS_INVALID,
  RECEIPT_INVALID: ['ReceiptHandleIsInvalid', 404],
  QUEUE_NOT_FOUND: NON_EXISTENT_QUEUE,
  STREAM_NOT_FOUND: ['ResourceNotFoundException', 404],
  SHARD_NOT_FOUND: ['ResourceNotFoundException', 404],
  GROUP_NOT_FOUND: ['ResourceNotFoundException', 404],
  ALREADY_EXISTS: ['QueueNameExists', 400, 'QueueAlreadyExists'],
  // A receipt whose delivery is over (acked, or its visibility timeout passed and it was received again).
  RECEIPT_STALE: SQS_INVALID,
  CONFLICT: SQS_INVALID,
  SHARD_CLOSED: SQS_INVALID,
  LEASE_LOST: SQS_INVALID,
  // A lock held by another process (a redrive, an attribute change): the SDKs retry throttling errors.
  LOCKED: ['RequestThrottled', 403],
  STORE_REFUSED: SQS_INTERNAL,
  CORRUPT: SQS_INTERNAL,
  IO: SQS_INTERNAL,
  // The engine behind the backend (a NATS cluster) did not answer in time: the SDKs retry a 503.
  UNAVAILABLE: ['ServiceUnavailable', 503],
  INTERNAL: SQS_INTERNAL,
  INTERRUPTED: ['ServiceUnavailable', 503],
};

const KINESIS_INVALID: AwsError = ['InvalidArgumentException', 400];
const KINESIS_NOT_FOUND: AwsError = ['ResourceNotFoundException', 400];
const KINESIS_IN_USE: AwsError = ['ResourceInUseException', 400];
const KINESIS_INTERNAL: AwsError = ['InternalFailure', 500];

const KINESIS: Record<MqErrorCode, AwsError> = {
  INVALID_ARGUMENT: KINESIS_INVALID,
  INVALID_NAME: ['ValidationException', 400],
  INVALID_MESSAGE: KINESIS_INVALID,
  MESSAGE_TOO_LARGE: KINESIS_INVALID,
  RECORD_TOO_LARGE: KINESIS_INVALID,
  RECEIPT_INVALID: KINESIS_INVALID,
  QUEUE_NOT_FOUND: KINESIS_NOT_FOUND,
  STREAM_NOT_FOUND: KINESIS_NOT_FOUND,
  SHARD_NOT_FOUND: KINESIS_NOT_FOUND,
  GROUP_NOT_FOUND: KINESIS_NOT_FOUND,
  ALREADY_EXISTS: KINESIS_IN_USE,
  RECEIPT_STALE: KINESIS_IN_USE,
  CONFLICT: KINESIS_IN_USE,
  // SplitShard or MergeShards of a shard that a reshard closed already (Kinesis: InvalidArgumentException).
  SHARD_CLOSED: KINESIS_INVALID,
  LEASE_LOST: KINESIS_IN_USE,
  LOCKED: ['LimitExceededException', 400],
  STORE_REFUSED: KINESIS_INTERNAL,
  CORRUPT: KINESIS_INTERNAL,
  IO: KINESIS_INTERNAL,
  UNAVAILABLE: ['ServiceUnavailable', 503],
  INTERNAL: KINESIS_INTERNAL,
  INTERRUPTED: ['ServiceUnavailable', 503],
};

const TABLES: Record<Service, Record<MqErrorCode, AwsError>> = { sqs: SQS, kinesis: KINESIS };

// Signature failures (SigV4), as each service names them.
const AUTH: Record<Service, Record<AuthFailureKind, AwsError>> = {
  sqs: {
    missing: ['MissingAuthenticationToken', 403],
    incomplete: ['IncompleteSignature', 403],
    'unknown-key': ['InvalidClientTokenId', 403],
    'bad-signature': ['SignatureDoesNotMatch', 403],
    expired: ['RequestExpired', 403],
  },
  kinesis: {
    missing: ['MissingAuthenticationTokenException', 400],
    incomplete: ['IncompleteSignatureException', 400],
    'unknown-key': ['UnrecognizedClientException', 400],
    'bad-signature': ['InvalidSignatureException', 400],
    expired: ['InvalidSignatureException', 400],
  },
};

export type ErrorOverrides = Partial<Record<MqErrorCode, AwsError>>;

// The API error for anything an action threw: ApiErrors pass through, MqErrors are mapped, anything
// else is an internal failure (its message kept for the log, not shown to the client).
export function toApiError(service: Service, error: unknown, overrides?: ErrorOverrides): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthFailure) {
    const [code, status] = AUTH[service][error.kind];
    return new ApiError(code, error.message, status);
  }
  if (error instanceof MqError) {
    const [code, status, queryCode] = overrides?.[error.code] ?? TABLES[service][error.code];
    return new ApiError(code, error.message, status, queryCode ?? code);
  }
  return new ApiError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}
