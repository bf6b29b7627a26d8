// The queues in the live view: for `mq top` one row per queue (visible, in flight, delayed, dead-letter
// depth, oldest age, in and out rates, a sparkline of visible messages over the last minute); for
// `mq stats QUEUE --watch` the full stats of one queue with the same rates and sparkline.
import { isMqError } from '../../core/errors.js';
import type { QueueStore } from '../../core/queue-store.js';
import type { QueueStats } from '../../core/queue-types.js';
import { isoTime } from '../output.js';
import { statsRecord, statsText, table } from '../format/queue-format.js';
import { alignColumns, formatAge, formatPerSecond, logfmt, roundRate } from './live-format.js';
import type { LiveFrame, LiveSection } from './live-view.js';
import { QueueHistory, type QueueReading } from './queue-history.js';
import { sparkline } from './sparkline.js';

// The sparkline takes what the other columns leave of the line, within these bounds.
const SPARKLINE_WIDTH = { min: 10, max: 30 };
const HEADER = ['QUEUE', 'VISIBLE', 'INFLIGHT', 'DELAYED', 'DLQ', 'OLDEST', 'IN/S', 'OUT/S', 'LAST MINUTE'];
const NUMERIC = new Set([1, 2, 3, 4, 5, 6, 7]);

function oldestAgeSeconds(stats: QueueStats, now: number): number | null {
  return stats.oldestSentAt === null ? null : Math.max(0, Math.floor((now - stats.oldestSentAt) / 1000));
}

function dlqDepth(stats: QueueStats): number | null {
  return stats.deadLetter?.depth ?? null;
}

// The fields shared by the plain line and the JSON record of one reading.
function readingFields(reading: QueueReading, now: number) {
  const { stats } = reading;
  return {
    name: stats.name,
    visible: stats.visible,
    inFlight: stats.inFlight,
    delayed: stats.delayed,
    dlqDepth: dlqDepth(stats),
    oldestAgeSeconds: oldestAgeSeconds(stats, now),
    inPerSecond: roundRate(reading.inPerSecond),
    outPerSecond: roundRate(reading.outPerSecond),
  };
}

function plainLine(reading: QueueReading, now: number): string {
  return logfmt({ time: isoTime(now), kind: 'queue', ...readingFields(reading, now) });
}

function jsonRecord(reading: QueueReading, now: number): Record<string, unknown> {
  return { time: isoTime(now), kind: 'queue', ...readingFields(reading, now) };
}

// Every queue (or those whose names start with `prefix`), one row each.
export function queueListSection(store: QueueStore, prefix?: string): LiveSection {
  const history = new QueueHistory();
  return {
    async sample(now: number, width: number): Promise<LiveFrame> {
      const readings: QueueReading[] = [];
      for (const info of await store.list(prefix)) {
        try {
          readings.push(history.observe(await store.stats(info.name), now));
        } catch (error) {
          // Removed between the listing and its stats: gone from this frame.
          if (!isMqError(error, 'QUEUE_NOT_FOUND')) throw error;
        }
      }
      history.keepOnly(new Set(readings.map((r) => r.stats.name)));
      const rows = readings.map((reading) => {
        const f = readingFields(reading, now);
        return [
          f.name, String(f.visible), String(f.inFlight), String(f.delayed), f.dlqDepth === null ? '-' : String(f.dlqDepth),
          formatAge(f.oldestAgeSeconds), formatPerSecond(reading.inPerSecond), formatPerSecond(reading.outPerSecond),
        ];
      });
      // Width left for the sparkline: the line minus the other columns and their separators.
      const used = alignColumns([HEADER.slice(0, -1), ...rows], NUMERIC)[0]!.length + 2;
      const sparkWidth = Math.min(SPARKLINE_WIDTH.max, Math.max(SPARKLINE_WIDTH.min, width - used));
      readings.forEach((reading, i) => rows[i]!.push(sparkline(reading.visibleHistory, sparkWidth)));
      return {
        screen: rows.length > 0 ? alignColumns([HEADER, ...rows], NUMERIC) : ['(no queues)'],
        plain: readings.map((reading) => plainLine(reading, now)),
        records: readings.map((reading) => jsonRecord(reading, now)),
      };
    },
  };
}

// One queue in full, for `mq stats QUEUE --watch`.
export function queueDetailSection(store: QueueStore, name: string): LiveSection {
  const history = new QueueHistory();
  return {
    async sample(now: number): Promise<LiveFrame> {
      const reading = history.observe(await store.stats(name), now);
      return {
        screen: [
          ...statsText(reading.stats, now),
          '',
          ...table([
            ['rates:', `in ${formatPerSecond(reading.inPerSecond)}/s, out ${formatPerSecond(reading.outPerSecond)}/s`],
            ['visible, last minute:', sparkline(reading.visibleHistory, SPARKLINE_WIDTH.max)],
          ]),
        ],
        plain: [plainLine(reading, now)],
        records: [{
          time: isoTime(now), ...statsRecord(reading.stats, now),
          inPerSecond: roundRate(reading.inPerSecond), outPerSecond: roundRate(reading.outPerSecond),
        }],
      };
    },
  };
}
