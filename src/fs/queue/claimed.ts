// What both engines do with a message file once they own it: read and decode it (setting aside a file
// that cannot be decoded), and turn it into the message a receive returns.
import path from 'node:path';
import { MqError, isMqError } from '../../core/errors.js';
import type { ReceivedMessage } from '../../core/queue-types.js';
import { errnoCode, fsyncDir, fsyncDirs, ioError, isNotFound, moveFile, readFileNoFollow, unlinkIfExists } from '../fs-util.js';
import { decodeMessage, type MessageContent } from './message-file.js';
import { sentAtOf } from './message-names.js';
import { type QueueContext, ensureSubdirs } from './queue-context.js';

// Reads a file this process just claimed; null when it vanished (a zero visibility timeout let another
// process take it back) or could not be decoded (then it is set aside in damaged/).
export function readClaimed(ctx: QueueContext, file: string): MessageContent | null {
  let text: string | null = null;
  try {
    text = readFileNoFollow(file);
  } catch (error) {
    if (isNotFound(error)) return null;
    // ELOOP: a symbolic link where a message file should be; it is set aside, never followed.
    if (errnoCode(error) !== 'ELOOP') throw ioError(error, 'read', file);
  }
  try {
    if (text === null) throw new MqError('CORRUPT', 'a symbolic link, not a message file');
    return decodeMessage(text);
  } catch (error) {
    if (!isMqError(error, 'CORRUPT')) throw error;
    moveFile(file, path.join(ctx.layout.damaged, path.basename(file)), () => ensureSubdirs(ctx, ctx.layout.damaged, []));
    return null;
  }
}

// At-most-once receive: read the message, then delete it. Whoever's unlink succeeds got it; a reader
// that loses the unlink drops what it read. No rename and no staging file on this path. The directory
// it was deleted from goes into `deletedFrom` (see syncDeletions).
export function popFile(ctx: QueueContext, file: string, deletedFrom?: Set<string>): MessageContent | null {
  const content = readClaimed(ctx, file);
  if (!content || !unlinkIfExists(file)) return null;
  deletedFrom?.add(path.dirname(file));
  return content;
}

// Makes the deletions of an at-most-once receive durable before it returns (durability fsync): a
// deletion a power cut undid would deliver the message again. A directory removed meanwhile (emptied)
// is made durable through its parent, whose fsync commits the removal and the deletions before it.
export function syncDeletions(dirs: Set<string>): void {
  for (const dir of dirs) {
    try {
      fsyncDir(dir);
    } catch (error) {
      if (!isNotFound(error)) throw ioError(error, 'sync', dir);
      fsyncDirs([path.dirname(dir)]);
    }
  }
}

export interface Delivery {
  id: string;
  receiveCount: number;
  firstReceivedAt: number;
  deadLetterSource?: string;
  sequence?: string;
}

export function toReceived(content: MessageContent, delivery: Delivery, receipt: string | undefined): ReceivedMessage {
  const message: ReceivedMessage = {
    id: delivery.id,
    body: content.body,
    attributes: content.attributes ?? {},
    sentAt: sentAtOf(delivery.id),
    receiveCount: delivery.receiveCount,
    firstReceivedAt: delivery.firstReceivedAt,
  };
  if (receipt !== undefined) message.receipt = receipt;
  if (content.group !== undefined) message.group = content.group;
  if (content.dedupId !== undefined) message.dedupId = content.dedupId;
  if (delivery.sequence !== undefined) message.sequence = delivery.sequence;
  if (delivery.deadLetterSource !== undefined) message.deadLetterSource = delivery.deadLetterSource;
  return message;
}
