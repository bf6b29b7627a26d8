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

// The stable code shown in JSON error lines.
export function errorCodeFor(error: unknown): string {
  if (error instanceof MqError) return error.code;
  if (error instanceof CommanderError) return 'USAGE';
  return 'INTERNAL';
}
