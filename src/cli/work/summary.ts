// The end of `mq work`: the summary line for stderr and the exit status (failure beats interruption,
// so a cron job or a supervisor learns that messages were left for retry).
import { ExitCode } from '../exit-codes.js';
import { formatRate } from '../progress.js';
import type { QueueWorkerReport } from '../../workers/queue-worker.js';

export function summaryLine(queue: string, report: QueueWorkerReport): string {
  const seconds = report.elapsedMs / 1000;
  const handled = report.processed + report.failed;
  const rate = seconds > 0 ? handled / seconds : 0;
  return `work ${queue}: ${report.processed} processed, ${report.failed} failed, ${report.deadLettered} dead-lettered, `
    + `${report.released} released in ${seconds.toFixed(1)}s (${formatRate(rate)})${report.interrupted ? ', interrupted' : ''}`;
}

// 5 when any handler failed, else 130 when stopped by SIGINT/SIGTERM, else 0.
export function workExitCode(report: QueueWorkerReport): number {
  if (report.failed > 0) return ExitCode.HANDLER_FAILED;
  if (report.interrupted) return ExitCode.INTERRUPTED;
  return ExitCode.OK;
}
