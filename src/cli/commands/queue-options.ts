// The queue attribute flags shared by `create` and `set`, and their translation into attributes.
import { type Command, Option } from 'commander';
import { type AttributeConflict, MqError } from '../../core/errors.js';
import { DEFAULT_DURABILITY } from '../../core/durability.js';
import { type DeadLetterPolicy, QUEUE_LIMITS, type QueueAttributes } from '../../core/queue-attributes.js';
import { formatDuration, formatSize } from '../../core/units.js';
import { countOption, durationOption, sizeOption } from '../options.js';
import { type FlagTable, describeAsFlag, onOff } from './conflict-flags.js';

export interface QueueAttributeFlags {
  fifo?: boolean;
  visibilityTimeout?: number;
  retention?: number;
  delay?: number;
  maxSize?: number;
  wait?: number;
  dlq?: string | false;
  maxReceives?: number;
  contentDedup?: boolean;
  dedupScope?: 'queue' | 'group';
  durability?: 'fsync' | 'none';
}

// "0s..12h; default: 30s", from the SQS limits themselves. Not commander defaults: `create` must tell an
// attribute given from one left out (only those given are compared with an existing queue).
function limits(key: 'visibilityTimeoutMs' | 'retentionMs' | 'delayMs' | 'maxMessageBytes' | 'receiveWaitMs', format: (value: number) => string): string {
  const { min, max, default: value } = QUEUE_LIMITS[key];
  return `${format(min)}..${format(max)}; default: ${format(value)}`;
}

export function addQueueAttributeOptions(command: Command, forCreate: boolean): Command {
  if (forCreate) command.option('--fifo', 'make a FIFO queue (the name must end in .fifo)');
  command
    .option('--visibility-timeout <duration>', `how long a received message stays invisible (${limits('visibilityTimeoutMs', formatDuration)})`, durationOption)
    .option('--retention <duration>', `how long a message is kept (${limits('retentionMs', formatDuration)})`, durationOption)
    .option('--delay <duration>', `delay before a new message becomes visible (${limits('delayMs', formatDuration)})`, durationOption)
    .option('--max-size <size>', `maximum message size, body plus attributes (${limits('maxMessageBytes', formatSize)})`, sizeOption)
    .option('--wait <duration>', `how long a receive without --wait long-polls (${limits('receiveWaitMs', formatDuration)})`, durationOption)
    .option('--dlq <queue>', 'dead-letter queue for messages received --max-receives times')
    .option('--max-receives <n>', 'receives before a message moves to the dead-letter queue (1..1000)', countOption(1, 1000))
    .option('--content-dedup', 'FIFO: deduplicate by the SHA-256 of the body when no --dedup-id is given')
    .addOption(new Option('--dedup-scope <scope>', 'FIFO: deduplicate per queue or per message group').choices(['queue', 'group']))
    .addOption(new Option('--durability <mode>', `fsync: a sent message survives a power cut; none: a process crash only (default: ${DEFAULT_DURABILITY})`).choices(['fsync', 'none']));
  if (!forCreate) command.option('--no-dlq', 'remove the dead-letter policy');
  return command;
}

export function attributesFromFlags(flags: QueueAttributeFlags, current?: QueueAttributes): Partial<QueueAttributes> {
  const attributes: Partial<QueueAttributes> = {};
  if (flags.fifo) attributes.fifo = true;
  if (flags.visibilityTimeout !== undefined) attributes.visibilityTimeoutMs = flags.visibilityTimeout;
  if (flags.retention !== undefined) attributes.retentionMs = flags.retention;
  if (flags.delay !== undefined) attributes.delayMs = flags.delay;
  if (flags.maxSize !== undefined) attributes.maxMessageBytes = flags.maxSize;
  if (flags.wait !== undefined) attributes.receiveWaitMs = flags.wait;
  if (flags.contentDedup) attributes.contentDedup = true;
  if (flags.dedupScope !== undefined) attributes.dedupScope = flags.dedupScope;
  if (flags.durability !== undefined) attributes.durability = flags.durability;
  if (flags.dlq === false) {
    attributes.deadLetter = null;
  } else if (flags.dlq !== undefined || flags.maxReceives !== undefined) {
    const queue = flags.dlq ?? current?.deadLetter?.queue;
    const maxReceives = flags.maxReceives ?? current?.deadLetter?.maxReceives;
    if (queue === undefined || maxReceives === undefined) {
      throw new MqError('INVALID_ARGUMENT', '--dlq and --max-receives go together');
    }
    attributes.deadLetter = { queue, maxReceives };
  }
  return attributes;
}

const QUEUE_FLAGS: FlagTable = {
  visibilityTimeoutMs: ['--visibility-timeout', formatDuration],
  retentionMs: ['--retention', formatDuration],
  delayMs: ['--delay', formatDuration],
  maxMessageBytes: ['--max-size', formatSize],
  receiveWaitMs: ['--wait', formatDuration],
  contentDedup: ['--content-dedup', onOff],
  dedupScope: ['--dedup-scope', String],
  durability: ['--durability', String],
};

// An attribute of an existing queue that differs from the flags given, as those flags.
export function queueConflictAsFlags(conflict: AttributeConflict): string {
  if (conflict.attribute !== 'deadLetter') return describeAsFlag(QUEUE_FLAGS, conflict);
  const existing = conflict.existing as DeadLetterPolicy | null;
  const requested = conflict.requested as DeadLetterPolicy;
  if (existing?.queue === requested.queue) return `--max-receives is ${existing.maxReceives}, not ${requested.maxReceives}`;
  return `--dlq is ${existing?.queue ?? 'none'}, not ${requested.queue}`;
}
