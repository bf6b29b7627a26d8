// The result lines of `mq put` for lines put in bulk ("SHARD SEQUENCE", or {"shard":...,"sequence":...}
// with --json), formatted straight into one buffer per batch: each shard keeps its line as bytes, and
// only the counter digits change from one record to the next (usually the last one or two). Pure.
import { formatShardId } from '../../core/shard-ids.js';
import { formatSequence } from '../../core/sequence-numbers.js';
import type { PutLinesResult } from '../../core/stream-types.js';

const COUNTER_DIGITS = 20;

interface ShardLine {
  line: Buffer;
  view: DataView;
  // Where the counter's digits end in the line, and the counter they spell now.
  digitsEnd: number;
  counter: number;
}

export class PutResultFormatter {
  private readonly shards = new Map<number, ShardLine>();

  constructor(private readonly json: boolean) {}

  // The result lines of the stored lines of `result`, in line order.
  format(result: PutLinesResult): Buffer {
    const { shards, counters, count } = result;
    let size = 0;
    for (let n = 0; n < count; n++) if (shards[n]! >= 0) size += this.shardLine(shards[n]!, counters[n]!).line.length;
    const out = Buffer.allocUnsafe(size);
    const outView = new DataView(out.buffer, out.byteOffset, out.length);
    let at = 0;
    let current: ShardLine | undefined;
    let currentIndex = -1;
    for (let n = 0; n < count; n++) {
      const index = shards[n]!;
      if (index < 0) continue;
      if (index !== currentIndex) {
        current = this.shards.get(index)!;
        currentIndex = index;
      }
      const shard = current!;
      setCounter(shard, counters[n]!);
      const { line, view } = shard;
      const length = line.length;
      let i = 0;
      for (; i + 4 <= length; i += 4) outView.setInt32(at + i, view.getInt32(i, true), true);
      for (; i < length; i++) out[at + i] = line[i]!;
      at += length;
    }
    return out;
  }

  private shardLine(index: number, counter: number): ShardLine {
    let shard = this.shards.get(index);
    if (!shard) {
      const shardId = formatShardId(index);
      const sequence = formatSequence(index, counter);
      const line = Buffer.from(this.json ? `${JSON.stringify({ shard: shardId, sequence })}\n` : `${shardId} ${sequence}\n`, 'latin1');
      const digitsEnd = line.length - (this.json ? 3 : 1);
      shard = { line, view: new DataView(line.buffer, line.byteOffset, line.length), digitsEnd, counter };
      this.shards.set(index, shard);
    }
    return shard;
  }
}

function setCounter(shard: ShardLine, counter: number): void {
  const { line, digitsEnd } = shard;
  if (counter === shard.counter) return;
  if (counter === shard.counter + 1) {
    // Add one to the decimal digits in place.
    let i = digitsEnd - 1;
    while (line[i] === 0x39) line[i--] = 0x30;
    line[i]!++;
  } else {
    let value = counter;
    for (let i = digitsEnd - 1; i >= digitsEnd - COUNTER_DIGITS; i--) {
      line[i] = 0x30 + (value % 10);
      value = Math.floor(value / 10);
    }
  }
  shard.counter = counter;
}
