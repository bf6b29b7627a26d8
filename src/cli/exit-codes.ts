// The exit status table, in one place (documented in the README under "Exit status").
import { CommanderError } from 'commander';
import { type MqErrorCode, MqError } from '../core/errors.js';

export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  HANDLER_FAILED: 5,
  INTERRUPTED: 130,
} as const;

// What each status means: `mq help exit-codes`, the man page and the README's table say this.
export const EXIT_CODE_MEANINGS: Record<(typeof ExitCode)[keyof typeof ExitCode], string> = {
  [ExitCode.OK]: 'success, including a receive that found nothing',
  [ExitCode.FAILURE]: 'unexpected internal or I/O error (a bug, a full disk, a damaged store), or a store refused as unsafe (another user\'s, on a network file system, a link inside it)',
  [ExitCode.USAGE]: 'usage error or invalid input: unknown command or flag, bad name, duration or size, body too large, invalid characters, malformed receipt',
  [ExitCode.NOT_FOUND]: 'not found: queue, stream, shard, consumer group (the error names the store searched)',
  [ExitCode.CONFLICT]: 'conflict or stale state: exists with other attributes, receipt no longer valid, shard closed, lease lost or held by another worker, lock busy',
  [ExitCode.HANDLER_FAILED]: 'mq work, mq consume: at least one handler run failed',
  [ExitCode.INTERRUPTED]: 'interrupted: SIGINT during receive --wait; SIGINT or SIGTERM stopping mq work, mq consume or tail -f when no handler failed',
};

const BY_CODE: Record<MqErrorCode, number> = {
  INVALID_ARGUMENT: ExitCode.USAGE,
  INVALID_NAME: ExitCode.USAGE,
  INVALID_MESSAGE: ExitCode.USAGE,
  MESSAGE_TOO_LARGE: ExitCode.USAGE,
  RECORD_TOO_LARGE: ExitCode.USAGE,
  RECEIPT_INVALID: ExitCode.USAGE,
  QUEUE_NOT_FOUND: ExitCode.NOT_FOUND,
  STREAM_NOT_FOUND: ExitCode.NOT_FOUND,
  SHARD_NOT_FOUND: ExitCode.NOT_FOUND,
  GROUP_NOT_FOUND: ExitCode.NOT_FOUND,
  ALREADY_EXISTS: ExitCode.CONFLICT,
  RECEIPT_STALE: ExitCode.CONFLICT,
  CONFLICT: ExitCode.CONFLICT,
  SHARD_CLOSED: ExitCode.CONFLICT,
  LEASE_LOST: ExitCode.CONFLICT,
  LOCKED: ExitCode.CONFLICT,
  STORE_REFUSED: ExitCode.FAILURE,
  CORRUPT: ExitCode.FAILURE,
  IO: ExitCode.FAILURE,
  UNAVAILABLE: ExitCode.FAILURE,
  INTERNAL: ExitCode.FAILURE,
  INTERRUPTED: ExitCode.INTERRUPTED,
};

export function exitCodeFor(error: unknown): number {
  if (error instanceof MqError) return BY_CODE[error.code];
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? ExitCode.OK
      : ExitCode.USAGE;
  }
  return ExitCode.FAILURE;
}

// The stable codes of the errors that end with `status` (USAGE: commander's own usage errors).
export function errorCodesFor(status: number): string[] {
  const codes: string[] = (Object.keys(BY_CODE) as MqErrorCode[]).filter((code) => BY_CODE[code] === status);
  return status === ExitCode.USAGE ? ['USAGE', ...codes] : codes;
}

// The stable code shown in JSON error lines.
export function errorCodeFor(error: unknown): string {
  if (error instanceof MqError) return error.code;
  if (error instanceof CommanderError) return 'USAGE';
  return 'INTERNAL';
}
