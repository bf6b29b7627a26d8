// One line of the access log (`--log`), as people read it; `--json` prints the entry itself.
import type { AccessLogEntry } from './api/dispatch.js';

export function formatAccessLog(entry: AccessLogEntry): string {
  const error = entry.error ? ` ${entry.error}` : '';
  return `${entry.time} ${entry.remote} HTTP/${entry.http} ${entry.service} ${entry.action} ${entry.protocol} ${entry.status} ${entry.ms}ms ${entry.bytesIn}B>${entry.bytesOut}B${error}`;
}
