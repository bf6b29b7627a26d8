// How stream results look on stdout: records as their data or as NDJSON objects, the shard list as a
// table or exactly the ListShards-like objects of cli.md, and streams in `mq ls`.
import { isUtf8 } from 'node:buffer';
import type {
  GroupShardLag, ShardDescription, ShardInfo, StreamDescription, StreamInfo, StreamRecord,
} from '../../core/stream-types.js';
import { checkpointLabel } from '../../core/checkpoints.js';
import { formatSize } from '../../core/units.js';
import { formatHours } from '../../core/stream-attributes.js';
import { isoTime } from '../output.js';
import { table } from './queue-format.js';

// A record as one JSON object. Its data is text; data that is not UTF-8 text (or every record's, with
// `base64`) is base64 with "dataEncoding":"base64".
export function recordJson(record: StreamRecord<string | Uint8Array>, base64 = false): Record<string, unknown> {
  let data: string;
  let encoded = record.dataEncoding === 'base64';
  if (typeof record.data !== 'string') {
    const bytes = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.length);
    encoded = base64 || !isUtf8(bytes);
    data = bytes.toString(encoded ? 'base64' : 'utf8');
  } else if (base64 && !encoded) {
    data = Buffer.from(record.data, 'utf8').toString('base64');
    encoded = true;
  } else {
    data = record.data;
  }
  return {
    shard: record.shardId,
    sequence: record.sequence,
    arrivedAt: new Date(record.arrivedAt).toISOString(),
    partitionKey: record.partitionKey,
    data,
    ...(encoded ? { dataEncoding: 'base64' } : {}),
  };
}

export function streamRecord(info: StreamInfo, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: info.name,
    ...extra,
    status: info.status,
    mode: info.mode,
    encryption: info.encryption,
    shards: info.shardCount,
    openShards: info.openShardCount,
    retentionHours: info.attributes.retentionMs / 3_600_000,
    maxRecordBytes: info.attributes.maxRecordBytes,
    durability: info.attributes.durability,
    createdAt: isoTime(info.createdAt),
    updatedAt: isoTime(info.updatedAt),
  };
}

// A shard as ListShards shows it (what split, merge and reshard print).
export function shardInfoJson(shard: ShardInfo): Record<string, unknown> {
  return {
    shardId: shard.shardId,
    state: shard.state,
    ...(shard.parentShardId ? { parentShardId: shard.parentShardId } : {}),
    ...(shard.adjacentParentShardId ? { adjacentParentShardId: shard.adjacentParentShardId } : {}),
    hashKeyRange: shard.hashKeyRange,
    sequenceNumberRange: shard.sequenceNumberRange,
  };
}

// One shard, exactly as cli.md specifies `mq shards --json`.
export function shardJson(shard: ShardDescription): Record<string, unknown> {
  return { ...shardInfoJson(shard), records: shard.records, bytes: shard.bytes };
}

export function shardsTable(description: StreamDescription): string[] {
  const rows = [['SHARD', 'STATE', 'PARENTS', 'HASH KEYS', 'FIRST', 'LAST', 'RECORDS', 'BYTES']];
  for (const shard of description.shards) {
    const parents = [shard.parentShardId, shard.adjacentParentShardId].filter(Boolean).join(',') || '-';
    rows.push([
      shard.shardId, shard.state, parents, `${shard.hashKeyRange.startingHashKey}..${shard.hashKeyRange.endingHashKey}`,
      shard.firstSequence ?? '-', shard.lastSequence ?? '-', String(shard.records), String(shard.bytes),
    ]);
  }
  return table(rows);
}

// One group and shard as cli.md specifies `mq groups --json` (checkpoint null: a child not started yet).
export function groupJson(lag: GroupShardLag): Record<string, unknown> {
  return {
    group: lag.group,
    shardId: lag.shardId,
    checkpoint: lag.checkpoint ? checkpointLabel(lag.checkpoint) : null,
    ...(lag.leaseOwner !== undefined ? { leaseOwner: lag.leaseOwner } : {}),
    lagRecords: lag.lagRecords,
    lagMs: lag.lagMs,
  };
}

export function groupsTable(lags: GroupShardLag[]): string[] {
  const rows = [['GROUP', 'SHARD', 'CHECKPOINT', 'LAG RECORDS', 'LAG', 'LEASE OWNER']];
  for (const lag of lags) {
    rows.push([
      lag.group, lag.shardId, lag.checkpoint ? checkpointLabel(lag.checkpoint) : '-', String(lag.lagRecords),
      `${(lag.lagMs / 1000).toFixed(1)}s`, lag.leaseOwner ?? '-',
    ]);
  }
  return table(rows);
}

// A stream in `mq ls`: its settings and what it holds.
export function streamLsJson(description: StreamDescription): Record<string, unknown> {
  return {
    kind: 'stream',
    ...streamRecord(description, {
      records: description.shards.reduce((n, s) => n + s.records, 0),
      bytes: description.shards.reduce((n, s) => n + s.bytes, 0),
    }),
  };
}

export function streamsLsTable(descriptions: StreamDescription[]): string[] {
  const rows = [['STREAM', 'SHARDS', 'RECORDS', 'BYTES', 'RETENTION', 'MAX RECORD', 'DURABILITY']];
  for (const d of descriptions) {
    rows.push([
      d.name, String(d.openShardCount), String(d.shards.reduce((n, s) => n + s.records, 0)),
      String(d.shards.reduce((n, s) => n + s.bytes, 0)), formatHours(d.attributes.retentionMs),
      formatSize(d.attributes.maxRecordBytes), d.attributes.durability,
    ]);
  }
  return table(rows);
}
