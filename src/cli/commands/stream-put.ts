// mq put: records from arguments (all checked before any is stored) or from stdin lines, stored as they
// arrive in batches. Prints "SHARD SEQUENCE" per record, in input order. An invalid stdin line is
// reported with its number and skipped; the others are stored, and the exit status is 2.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import type { PutLinesOptions, PutRequest, PutResult } from '../../core/stream-types.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { type InputBlock, coalesceBatches, readLineBlocks, readRecordBatches, requirePipedStdin } from '../input/lines.js';
import { writeOut } from '../output.js';
import { createKeyFieldReader, keyFromField } from '../input/key-field.js';
import { PutResultFormatter } from '../format/put-results.js';

// Lines per put from stdin at most (when stdin has that many ready).
const BATCH_LINES = 16_384;

const countLines = (blocks: InputBlock[]): number => {
  let count = 0;
  for (const block of blocks) count += block.count;
  return count;
};

interface PutFlags {
  partitionKey?: string;
  keyField?: string;
  explicitHashKey?: string;
  base64?: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// The bytes a --base64 argument or line stands for (any bytes: binary data is stored as it is).
function fromBase64(text: string): Buffer {
  const trimmed = text.trim();
  if (trimmed === '' || !BASE64.test(trimmed)) throw new MqError('INVALID_ARGUMENT', 'not base64 data');
  return Buffer.from(trimmed, 'base64');
}

export function registerPut(program: Command, ctx: CliContext): void {
  program
    .command('put')
    .summary('put records: each argument, or each line of stdin, is one record')
    .description('Put records into a stream (PutRecords). Each DATA argument is one record; with none, each line of stdin is one record, stored as soon as it is complete. Records are text (UTF-8); with --base64 each argument or line is base64 and the record is its bytes, any bytes. The shard is chosen by the MD5 of the partition key; without a key, a random one spreads records evenly. Prints "SHARD SEQUENCE" for each record once it is stored, in input order.')
    .argument('<stream>', 'stream name')
    .argument('[data...]', 'records (default: lines of stdin)')
    .option('--partition-key <key>', 'partition key of every record (1-256 characters)')
    .option('--key-field <field>', 'take each record\'s partition key from this field of its JSON (dotted path: user.id)')
    .option('--explicit-hash-key <key>', 'decimal hash key (0..2^128-1) choosing the shard instead of the key\'s MD5')
    .option('--base64', 'each argument or line is base64: its bytes are the record (binary data)')
    .addHelpText('after', '\nExamples:\n  mq put events \'{"user":42}\' --partition-key user-42\n  tail -f app.log | mq put logs\n  mq put events --key-field user.id < events.ndjson')
    .action(async (stream: string, data: string[], flags: PutFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const store = backend.streams;
      if (flags.partitionKey !== undefined && flags.keyField !== undefined) {
        throw new MqError('INVALID_ARGUMENT', '--partition-key and --key-field cannot be used together');
      }
      const info = await store.get(stream); // fail before reading stdin when the stream does not exist
      const toRequest = (text: string): PutRequest => {
        const data = flags.base64 ? fromBase64(text) : text;
        const request: PutRequest = { data };
        if (flags.keyField !== undefined) request.partitionKey = keyFromField(typeof data === 'string' ? data : data.toString('utf8'), flags.keyField);
        else if (flags.partitionKey !== undefined) request.partitionKey = flags.partitionKey;
        if (flags.explicitHashKey !== undefined) request.explicitHashKey = flags.explicitHashKey;
        return request;
      };
      const print = (results: PutResult[]) => {
        if (out.json) out.records(results.map((r) => ({ shard: r.shardId, sequence: r.sequence })));
        else out.lines(results.map((r) => `${r.shardId} ${r.sequence}`));
      };

      if (data.length > 0) {
        // All checked first; a shard that could not be written (busy lock, full disk) is then reported.
        const outcomes = await store.put(stream, data.map(toRequest), { atomic: true });
        print(outcomes.flatMap((o) => (o.ok ? [o] : [])));
        const failed = outcomes.find((o) => !o.ok);
        if (failed && !failed.ok) throw failed.error;
        return;
      }
      requirePipedStdin(io.stdin, 'records');
      if (flags.base64) {
        await putBase64Lines(stream, toRequest, print, ctx, command, info.attributes.maxRecordBytes);
        return;
      }
      // Lines go to the store in blocks of bytes (no object per record), up to 16,384 lines per put: one
      // lock, one write and one fsync per shard for all of them. A batch joins only what stdin already has.
      const options: PutLinesOptions = {};
      if (flags.keyField !== undefined) options.partitionKeyOf = createKeyFieldReader(flags.keyField);
      else if (flags.partitionKey !== undefined) options.partitionKey = flags.partitionKey;
      if (flags.explicitHashKey !== undefined) options.explicitHashKey = flags.explicitHashKey;
      const formatter = new PutResultFormatter(out.json);
      const blocks$ = readLineBlocks(io.stdin, { maxBytes: info.attributes.maxRecordBytes });
      for await (const blocks of coalesceBatches(blocks$, BATCH_LINES, 2, countLines)) {
        const result = await store.putLines(stream, blocks, options);
        // Problems of this batch, reported in line order once the valid lines are stored.
        const problems: { index: number; error: unknown }[] = [];
        let first = 0;
        for (const block of blocks) {
          for (const [i, problem] of block.problems ?? []) problems.push({ index: block.firstIndex + i, error: new MqError('INVALID_ARGUMENT', problem) });
          for (const [number, error] of result.errors) {
            if (number >= first && number < first + block.count) problems.push({ index: block.firstIndex + number - first, error });
          }
          first += block.count;
        }
        for (const { index, error } of problems.sort((a, b) => a.index - b.index)) {
          out.error(error, `line ${index}`);
          failWith(ctx, exitCodeFor(error));
        }
        await writeOut(io.stdout, formatter.format(result));
      }
    });
}

// --base64 from stdin: each line decoded to its bytes and stored as one record (through put, which takes
// any bytes), in batches of what stdin has; a line that is not base64 is reported and skipped.
async function putBase64Lines(
  stream: string, toRequest: (text: string) => PutRequest, print: (results: PutResult[]) => void, ctx: CliContext, command: Command, maxRecordBytes: number,
): Promise<void> {
  const { backend, out, io } = sessionFor(ctx, command);
  // Base64 takes 4 characters for 3 bytes.
  for await (const batch of readRecordBatches(io.stdin, { maxBytes: Math.ceil(maxRecordBytes / 3) * 4 + 2 })) {
    const requests: PutRequest[] = [];
    const lines: number[] = [];
    const problems: { index: number; error: unknown }[] = [];
    for (const record of batch) {
      try {
        if (record.text === null) throw new MqError('INVALID_ARGUMENT', record.problem ?? 'unreadable line');
        requests.push(toRequest(record.text));
        lines.push(record.index);
      } catch (error) {
        problems.push({ index: record.index, error });
      }
    }
    const outcomes = requests.length > 0 ? await backend.streams.put(stream, requests) : [];
    const stored: PutResult[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) stored.push(outcome);
      else problems.push({ index: lines[i]!, error: outcome.error });
    });
    for (const { index, error } of problems.sort((a, b) => a.index - b.index)) {
      out.error(error, `line ${index}`);
      failWith(ctx, exitCodeFor(error));
    }
    print(stored);
  }
}
