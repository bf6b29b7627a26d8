// mq put: records from arguments (all checked before any is stored) or from stdin lines, stored as they
// arrive in batches. Prints "SHARD SEQUENCE" per record, in input order. An invalid stdin line is
// reported with its number and skipped; the others are stored, and the exit status is 2.
import type { Command } from 'commander';
import { MqError } from '../../core/errors.js';
import type { PutRequest, PutResult } from '../../core/stream-types.js';
import { type CliContext, failWith, sessionFor } from '../context.js';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { readRecordBatches, requirePipedStdin } from '../input.js';
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
      const toRequest = (text: string): PutRequest => {
        const request: PutRequest = { data: text };
        if (flags.keyField !== undefined) request.partitionKey = keyFromField(text, flags.keyField);
        else if (flags.partitionKey !== undefined) request.partitionKey = flags.partitionKey;
        if (flags.explicitHashKey !== undefined) request.explicitHashKey = flags.explicitHashKey;
        return request;
      };
      const print = (results: PutResult[]) => {
        if (out.json) out.records(results.map((r) => ({ shard: r.shardId, sequence: r.sequence })));
        else out.lines(results.map((r) => `${r.shardId} ${r.sequence}`));
      };

      if (data.length > 0) {
        const outcomes = await store.put(stream, data.map(toRequest), { atomic: true });
        print(outcomes.flatMap((o) => (o.ok ? [o] : [])));
        return;
      }
      requirePipedStdin(io.stdin, 'records');
      const report = (error: unknown, index: number) => {
        out.error(error, `line ${index}`);
        failWith(ctx, exitCodeFor(error));
      };
      for await (const batch of readRecordBatches(io.stdin, { maxBytes: info.attributes.maxRecordBytes })) {
        const requests: PutRequest[] = [];
        const lines: number[] = [];
        for (const record of batch) {
          if (record.text === null) {
            out.error(record.problem, `line ${record.index}`);
            failWith(ctx, ExitCode.USAGE);
            continue;
          }
          try {
            requests.push(toRequest(record.text));
            lines.push(record.index);
          } catch (error) {
            report(error, record.index);
          }
        }
        if (requests.length === 0) continue;
        const outcomes = await store.put(stream, requests);
        const stored: PutResult[] = [];
        outcomes.forEach((outcome, i) => {
          if (outcome.ok) stored.push(outcome);
          else report(outcome.error, lines[i]!);
        });
        print(stored);
      }
    });
}
