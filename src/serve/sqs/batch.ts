// The rules every SQS batch action shares: 1-10 entries, ids of 1-80 characters from [A-Za-z0-9_-],
// distinct; each entry then succeeds or fails on its own, and the response lists both.
import { ApiError } from '../api/api-error.js';
import { type Service, toApiError } from '../api/error-map.js';

export const MAX_BATCH_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function checkBatch(entries: { Id: string }[]): void {
  if (entries.length === 0) {
    throw new ApiError('EmptyBatchRequest', 'There should be at least one entry in the request.', 400, 'AWS.SimpleQueueService.EmptyBatchRequest');
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new ApiError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      400,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  }
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!ENTRY_ID.test(Id)) {
      throw new ApiError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', 400, 'AWS.SimpleQueueService.InvalidBatchEntryId');
    }
    if (seen.has(Id)) {
      throw new ApiError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`, 400, 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
    }
    seen.add(Id);
  }
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

// A failed entry as SQS reports it (the query protocol's code, as in Failed[].Code on the wire).
export function batchFailure(id: string, error: unknown, service: Service = 'sqs'): BatchFailure {
  const apiError = toApiError(service, error);
  return { Id: id, SenderFault: apiError.senderFault, Code: apiError.queryCode, Message: apiError.message };
}
