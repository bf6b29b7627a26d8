// Resharding: split a shard, put, merge the two children, reshard to 3 shards, put. The shard map is
// the old or the new one (and, once the command returned under fsync, the new one); open shards cover the
// hash key space once; no record sits in a closed shard past its ending sequence number; printed records
// read back; a put after recovery works (it clears a closed marker whose map change was lost).
import type { Scenario, StateCheck } from './scenario.js';
import { mqIn } from '../run/recover.js';
import { checkCounters, checkRecords, readStream } from './stream-checks.js';
import { sentRecords } from './stream-put.js';

const FIRST = ['{"k":"a","n":1}', '{"k":"b","n":2}', '{"k":"c","n":3}', '{"k":"d","n":4}'];
const SECOND = ['{"k":"a","n":5}', '{"k":"b","n":6}', '{"k":"c","n":7}'];
const THIRD = ['{"k":"a","n":8}', '{"k":"d","n":9}'];
const KEY_SPACE_END = 2n ** 128n - 1n;

interface ListedShard {
  shardId: string;
  state: 'open' | 'closed';
  hashKeyRange: { startingHashKey: string; endingHashKey: string };
  sequenceNumberRange: { startingSequenceNumber: string; endingSequenceNumber?: string };
}

export const streamReshard: Scenario = {
  name: 'stream-reshard',
  what: 'mq split events 0; mq put; mq merge events 2 3; mq reshard events --shards 3; mq put',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const mq = mqIn(home);
    await mq(['create-stream', 'events', '--shards', '2', '--durability', durability]);
    await mq(['put', 'events', '--key-field', 'k'], { stdin: FIRST.map((l) => `${l}\n`).join('') });
    return {
      commands: [
        { args: ['split', 'events', '0'] },
        { args: ['put', 'events', '--key-field', 'k', '--json'], stdin: SECOND.map((l) => `${l}\n`).join('') },
        { args: ['merge', 'events', '2', '3'] },
        { args: ['reshard', 'events', '--shards', '3'] },
        { args: ['put', 'events', '--key-field', 'k', '--json'], stdin: THIRD.map((l) => `${l}\n`).join('') },
      ],
      async check(state) {
        const shards = await listShards(state);
        if (!shards) return;
        checkMap(state, shards);
        const records = await readStream(state, 'events');
        if (records === null) return state.violation('stream events, created before, is gone');
        const sent = sentRecords([[], SECOND, [], [], THIRD], state.promised.stdout);
        for (const line of FIRST) sent.set(line, undefined);
        checkRecords(state, 'events', records, sent);
        for (const line of FIRST) if (!records.some((r) => r.data === line)) state.violation(`${line}, put before the run, is gone`);
        for (const record of records) {
          const shard = shards.find((s) => s.shardId === record.shard);
          const ending = shard?.sequenceNumberRange.endingSequenceNumber;
          if (ending !== undefined && record.sequence > ending) state.violation(`${record.data} at ${record.sequence} in ${record.shard}, past its ending sequence number ${ending}`);
        }
        await checkCounters(state, 'events', records);
      },
    };
  },
};

async function listShards(state: StateCheck): Promise<ListedShard[] | null> {
  const run = await state.mq(['shards', 'events', '--json']);
  if (run.code !== 0) {
    state.violation(`mq shards events exits ${run.code}: ${run.stderr.trim()}`);
    return null;
  }
  return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as ListedShard);
}

// The open shards tile the hash key space; each reshard that returned under fsync is in the map.
function checkMap(state: StateCheck, shards: ListedShard[]): void {
  const open = shards.filter((s) => s.state === 'open').map((s) => ({ start: BigInt(s.hashKeyRange.startingHashKey), end: BigInt(s.hashKeyRange.endingHashKey) }));
  open.sort((a, b) => (a.start < b.start ? -1 : 1));
  let next = 0n;
  for (const range of open) {
    if (range.start !== next) state.violation(`the open shards do not tile the key space at ${next}`);
    next = range.end + 1n;
  }
  if (next !== KEY_SPACE_END + 1n) state.violation('the open shards do not reach the end of the key space');
  // After split 0: 0 closed; after merge 2 3: 2 and 3 closed; after reshard --shards 3: three open shards.
  const closed = new Set(shards.filter((s) => s.state === 'closed').map((s) => Number(s.shardId.slice(8))));
  const { exited } = state.promised;
  const lost = (what: string) => (state.durability === 'fsync' ? state.violation(`${what} returned under fsync, and the map does not show it`) : state.note('reshard lost (allowed under none)'));
  if (exited[0] === 0 && !closed.has(0)) lost('split events 0');
  if (exited[2] === 0 && !(closed.has(2) && closed.has(3))) lost('merge events 2 3');
  if (exited[3] === 0 && open.length !== 3) lost('reshard events --shards 3');
}
