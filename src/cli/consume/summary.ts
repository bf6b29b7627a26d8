// The end of `mq consume`: the summary line for stderr and the exit status (a failed handler run beats
// an interruption, as for `mq work`).
import { ExitCode } from '../exit-codes.js';
import { formatRate } from '../progress.js';
import type { StreamConsumerReport } from '../../workers/stream-consumer.js';

export function consumeSummaryLine(stream: string, group: string, workerId: string, report: StreamConsumerReport): string {
  const seconds = report.elapsedMs / 1000;
  const rate = seconds > 0 ? report.records / seconds : 0;
  return `consume ${stream} (group ${group}, worker ${workerId}): ${report.records} records in ${report.batches} batches, `
    + `${report.failedRuns} failed runs, ${report.shardsTaken} shards taken, ${report.shardsFinished} finished, `
    + `${report.leasesLost} leases lost in ${seconds.toFixed(1)}s (${formatRate(rate)})${report.interrupted ? ', interrupted' : ''}`;
}

// 5 when any handler run failed, else 130 when stopped by SIGINT/SIGTERM, else 0.
export function consumeExitCode(report: StreamConsumerReport): number {
  if (report.failedRuns > 0) return ExitCode.HANDLER_FAILED;
  if (report.interrupted) return ExitCode.INTERRUPTED;
  return ExitCode.OK;
}
