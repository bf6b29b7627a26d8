// Consumer groups: `tail --group` twice (the first makes the group and checkpoints two shards after
// printing), and `mq consume` with a leased worker that checkpoints each batch and is stopped at the end.
// A checkpoint is never ahead of what was printed (nothing skipped), never behind what a command that
// returned had printed (fsync), and the group resumes after it: every record comes out at least once.
import fs from 'node:fs';
import path from 'node:path';
import type { Scenario, StateCheck } from './scenario.js';
import { jsonLines, mqIn } from '../run/recover.js';
import { type ReadRecord } from './stream-checks.js';
import { RECOVERY_LATER_MS, printedLines } from './queue-checks.js';

// Shard 0's sequence numbers: 1, the shard index in 12 digits, the counter in 20.
const SEQUENCES = [1, 2, 3, 4, 5].map((n) => `1${'0'.repeat(12)}${String(n).padStart(20, '0')}`);
const BATCH_ENDS = [SEQUENCES[1]!, SEQUENCES[3]!, SEQUENCES[4]!];
const RECORDS = ['{"k":"a","n":1}', '{"k":"b","n":2}', '{"k":"c","n":3}', '{"k":"a","n":4}', '{"k":"b","n":5}', '{"k":"c","n":6}'];

interface GroupRow {
  shardId: string;
  checkpoint: string | null;
}

export const streamTailGroup: Scenario = {
  name: 'stream-tail-group',
  what: 'mq tail events --group g --from trim-horizon -n 4; mq tail events --group g -n 10',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create-stream', 'events', '--shards', '2', '--durability', durability]);
    await mq(['put', 'events', '--key-field', 'k'], { stdin: RECORDS.map((l) => `${l}\n`).join('') });
    return {
      commands: [
        { args: ['tail', 'events', '--group', 'g', '--from', 'trim-horizon', '-n', '4', '--json'] },
        { args: ['tail', 'events', '--group', 'g', '-n', '10', '--json'] },
      ],
      async check(state) {
        await checkGroup(state, 'g', state.promised.stdout.map((out) => printedLines<ReadRecord>(out)));
      },
    };
  },
};

export const streamConsume: Scenario = {
  name: 'stream-consume',
  what: 'mq consume events --group w --from trim-horizon --batch 2 -- true (takes the lease, checkpoints 3 batches, stopped by SIGTERM)',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create-stream', 'events', '--shards', '1', '--durability', durability]);
    await mq(['put', 'events', '--partition-key', 'k'], { stdin: RECORDS.slice(0, 5).map((l) => `${l}\n`).join('') });
    const checkpointFile = path.join(home, 'streams/events/groups/w/shardId-000000000000.json');
    const last = SEQUENCES.at(-1)!;
    return {
      commands: [{
        args: ['consume', 'events', '--group', 'w', '--from', 'trim-horizon', '--batch', '2', '--worker-id', 'w1', '--', 'true'],
        stopWhen: () => {
          try {
            return fs.readFileSync(checkpointFile, 'utf8').includes(last);
          } catch {
            return false;
          }
        },
      }],
      async check(state) {
        const listing = await state.mq(['groups', 'events', 'w', '--json']);
        if (listing.code !== 0 && listing.code !== 3) return state.violation(`mq groups events w exits ${listing.code}: ${listing.stderr.trim()}`);
        const row = listing.code === 0 ? jsonLines<GroupRow & { leaseOwner?: string }>(listing)[0] : undefined;
        const checkpoint = row?.checkpoint ?? null;
        if (checkpoint !== null && checkpoint !== 'TRIM_HORIZON' && !BATCH_ENDS.includes(checkpoint)) state.violation(`w: checkpoint ${checkpoint} is not the end of a batch`);
        if (state.promised.exited[0] !== undefined) {
          if (checkpoint !== last) {
            if (state.durability === 'fsync') state.violation(`w: mq consume checkpointed ${last} and stopped under fsync, and the checkpoint is ${checkpoint}`);
            else state.note('checkpoint went back (allowed under none)');
          }
          if (row?.leaseOwner !== undefined && state.durability === 'fsync') state.violation(`w: mq consume released its lease and stopped under fsync, and ${row.leaseOwner} holds it`);
        }
        // The group resumes right after its checkpoint (leases expired by then).
        const resumed = await state.mq(['tail', 'events', '--group', 'w', '--from', 'trim-horizon', '-n', '100', '--json'], { laterMs: RECOVERY_LATER_MS });
        if (resumed.code !== 0) return state.violation(`mq tail events --group w after recovery exits ${resumed.code}: ${resumed.stderr.trim()}`);
        const after = jsonLines<ReadRecord>(resumed).map((r) => r.sequence);
        const expected = SEQUENCES.filter((s) => checkpoint === null || checkpoint === 'TRIM_HORIZON' || s > checkpoint);
        if (after.join() !== expected.join()) state.violation(`w resumed with ${after.join(' ') || 'nothing'}, not ${expected.join(' ') || 'nothing'}`);
      },
    };
  },
};

// `printed[i]`: the records command i had printed.
async function checkGroup(state: StateCheck, group: string, printed: ReadRecord[][]): Promise<void> {
  const listing = await state.mq(['groups', 'events', group, '--json'], { laterMs: RECOVERY_LATER_MS });
  const rows = listing.code === 0 ? jsonLines<GroupRow>(listing) : [];
  if (listing.code !== 0 && listing.code !== 3) state.violation(`mq groups events ${group} exits ${listing.code}: ${listing.stderr.trim()}`);
  const checkpoint = (shard: string) => {
    const value = rows.find((r) => r.shardId === shard)?.checkpoint ?? null;
    return value !== null && /^\d+$/.test(value) ? value : '';
  };
  const shards = new Set(printed.flat().map((r) => r.shard));
  for (const shard of shards) {
    const all = printed.flat().filter((r) => r.shard === shard).map((r) => r.sequence);
    const max = all.reduce((m, s) => (s > m ? s : m), '');
    if (checkpoint(shard) > max) state.violation(`${group}: the checkpoint of ${shard} (${checkpoint(shard)}) is past what was printed (${max})`);
    printed.forEach((records, command) => {
      if (state.promised.exited[command] === undefined) return;
      const returned = records.filter((r) => r.shard === shard).map((r) => r.sequence).reduce((m, s) => (s > m ? s : m), '');
      if (checkpoint(shard) >= returned) return;
      if (state.durability === 'fsync') state.violation(`${group}: the checkpoint of ${shard} (${checkpoint(shard) || 'none'}) is behind ${returned}, printed by a command that returned`);
      else state.note('checkpoint went back (allowed under none)');
    });
  }
  // The group resumes after its checkpoints: with what was printed, every record comes out.
  const resumed = await state.mq(['tail', 'events', '--group', group, '--from', 'trim-horizon', '-n', '100', '--json'], { laterMs: RECOVERY_LATER_MS });
  if (resumed.code !== 0) return state.violation(`mq tail events --group ${group} after recovery exits ${resumed.code}: ${resumed.stderr.trim()}`);
  const seen = new Set([...printed.flat(), ...jsonLines<ReadRecord>(resumed)].map((r) => r.sequence));
  const everything = await state.mq(['tail', 'events', '--from', 'trim-horizon', '-n', '100', '--json'], { laterMs: RECOVERY_LATER_MS });
  for (const record of jsonLines<ReadRecord>(everything)) {
    if (!seen.has(record.sequence)) state.violation(`${group}: ${record.data} (${record.sequence}) was never printed and the group resumed past it`);
  }
}
