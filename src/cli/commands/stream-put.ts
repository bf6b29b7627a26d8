// mq put: records from arguments (all checked before any is stored) or from stdin lines, stored as they
// arrive in batches. Prints "SHARD SEQUENCE" per record, in input order. An invalid stdin line is
// reported with its number and skipped; the others are stored, and the exit status is 2.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import type { PutRequest, PutResult } from '../../core/stream-types.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { coalesceBatches, readLineBatches, requirePipedStdin } from '../input.js';
import { keyFromField } from './stream-options.js';

interface PutFlags {
  partitionKey?: string;
  keyField?: string;
  explicitHashKey?: string;
}

export function registerPut(program: Command, ctx: CliContext): void {
  program
    .command('put')
    .summary('put records: each argument, or each line of stdin, is one record')
    .description('Put records into a stream (PutRecords). Each DATA argument is one record; with none, each line of stdin is one record, stored as soon as it is complete. The shard is chosen by the MD5 of the partition key; without a key, a random one spreads records evenly. Prints "SHARD SEQUENCE" for each record once it is stored, in input order.')
    .argument('<stream>', 'stream name')
    .argument('[data...]', 'records (default: lines of stdin)')
    .option('--partition-key <key>', 'partition key of every record (1-256 characters)')
    .option('--key-field <field>', 'take each record\'s partition key from this field of its JSON (dotted path: user.id)')
    .option('--explicit-hash-key <key>', 'decimal hash key (0..2^128-1) choosing the shard instead of the key\'s MD5')
    .addHelpText('after', '\nExamples:\n  mq put events \'{"user":42}\' --partition-key user-42\n  tail -f app.log | mq put logs\n  mq put events --key-field user.id < events.ndjson')
    .action(async (stream: string, data: string[], flags: PutFlags, command: Command) => {
      const { backend, out, io } = sessionFor(ctx, command);
      const store = backend.streams;
      if (flags.partitionKey !== undefined && flags.keyField !== undefined) {
        throw new MqError('INVALID_ARGUMENT', '--partition-key and --key-field cannot be used together');
      }
      const info = await store.get(stream); // fail before reading stdin when the stream does not exist
      // Stdin lines go to the store as bytes: it checks they are UTF-8 and copies them as they are.
      const toRequest = (data: string | Buffer): PutRequest => {
        const request: PutRequest = { data };
        if (flags.keyField !== undefined) request.partitionKey = keyFromField(data.toString(), flags.keyField);
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
      // Up to 4,096 lines per put: one lock, one write and one fsync per shard for all of them. (Larger
      // batches measured slower: more memory touched per batch.)
      const lines$ = readLineBatches(io.stdin, { maxBytes: info.attributes.maxRecordBytes, maxBatch: 4096 });
      for await (const batch of coalesceBatches(lines$, 4096)) {
        const requests: PutRequest[] = [];
        const lines: number[] = [];
        // Problems of this batch, reported in line order once the valid lines are stored.
        const problems: { index: number; error: unknown }[] = [];
        for (const line of batch) {
          if (line.bytes === null) {
            problems.push({ index: line.index, error: new MqError('INVALID_ARGUMENT', line.problem!) });
            continue;
          }
          try {
            requests.push(toRequest(line.bytes));
            lines.push(line.index);
          } catch (error) {
            problems.push({ index: line.index, error });
          }
        }
        const outcomes = requests.length > 0 ? await store.put(stream, requests) : [];
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
    });
}
