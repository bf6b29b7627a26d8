// Segment files: roll-over (a stream made with 400-byte segments, so each put starts a new one: a new
// file, its directory fsynced) and retention (records put three days ago into small segments; a put now
// finds the newest segment wholly expired, rolls, and deletes the expired ones). Printed records read
// back, expired ones never come back, counters run on.
import type { Scenario } from './scenario.js';
import { createFsBackend } from '../../src/fs/fs-backend.js';
import { checkCounters, checkRecords, readStream } from './stream-checks.js';
import { sentRecords } from './stream-put.js';

const SEGMENT_BYTES = 400;
const BATCHES = [['r-1', 'r-2', 'r-3'], ['r-4', 'r-5', 'r-6'], ['r-7']];

export const streamRoll: Scenario = {
  name: 'stream-roll',
  what: 'mq put events < 3 lines, three times (400-byte segments: each put rolls to a new segment)',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    await createFsBackend({ home, streamSegmentBytes: SEGMENT_BYTES }).streams.create('events', { shardCount: 1, durability });
    return {
      commands: BATCHES.map((lines) => ({ args: ['put', 'events', '--json'], stdin: lines.map((l) => `${l}\n`).join('') })),
      async check(state) {
        const records = await readStream(state, 'events');
        if (records === null) return state.violation('stream events, created before, is gone');
        checkRecords(state, 'events', records, sentRecords(BATCHES, state.promised.stdout));
        await checkCounters(state, 'events', records);
      },
    };
  },
};

const DAY = 24 * 3600_000;
const OLD = Array.from({ length: 8 }, (_, i) => `old-${i + 1}`);
const FRESH = [['new-1', 'new-2'], ['new-3']];

export const streamRetention: Scenario = {
  name: 'stream-retention',
  what: 'records put 3 days ago (24 h retention, small segments); mq put events < 2 lines; mq put events new-3 (roll, expired segments deleted)',
  durabilities: ['fsync', 'none'],
  async prepare(home, durability) {
    const past = { now: () => Date.now() - 3 * DAY };
    const backend = createFsBackend({ home, streamSegmentBytes: SEGMENT_BYTES, clock: past });
    await backend.streams.create('events', { shardCount: 1, durability, retentionMs: DAY });
    for (const data of OLD) await backend.streams.put('events', [{ data, partitionKey: 'k' }]);
    return {
      commands: FRESH.map((lines) => ({ args: ['put', 'events', '--json'], stdin: lines.map((l) => `${l}\n`).join('') })),
      async check(state) {
        const records = await readStream(state, 'events');
        if (records === null) return state.violation('stream events, created before, is gone');
        for (const record of records) if (record.data.startsWith('old-')) state.violation(`${record.data}, expired before the run, is readable`);
        const sent = sentRecords(FRESH, state.promised.stdout);
        for (const data of OLD) sent.set(data, undefined);
        checkRecords(state, 'events', records, sent);
        // Expired records were on disk before the run: their sequence numbers are never given again.
        const placed = await checkCounters(state, 'events', records, { fromFirst: false });
        if (placed && BigInt(placed.sequence.slice(13)) <= BigInt(OLD.length)) state.violation(`a put after recovery got ${placed.sequence}, a sequence number given before the run`);
        const shards = await state.mq(['shards', 'events', '--json']);
        if (shards.code !== 0) state.violation(`mq shards events exits ${shards.code}: ${shards.stderr.trim()}`);
      },
    };
  },
};
