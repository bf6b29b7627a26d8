// A one-line progress display on stderr for long operations (purge, redrive, a bulk send): a bar when the
// total is known, else a counter, with the rate. Redrawn at most ten times a second and shown only when
// stderr is a terminal, never in pipes or logs (MQ_FORCE_TTY=1 forces it, for tests).
import type { Io } from './io.js';
import { ANSI, isTerminal } from './terminal.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

export class Progress {
  private readonly enabled: boolean;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private total: number | undefined;

  // `enabled: false` keeps it off even on a terminal (for example when the data itself is scrolling by
  // on that terminal).
  constructor(private readonly io: Io, private readonly label: string, options: { total?: number; enabled?: boolean } = {}) {
    this.total = options.total;
    this.enabled = (options.enabled ?? true) && isTerminal(io, 'stderr');
  }

  // The total may become known after the start (for example after counting).
  setTotal(total: number | undefined): void {
    this.total = total;
  }

  update(count: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (this.drawn && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    this.io.stderr.write(`${ANSI.clearLine}mq: ${progressLine(this.label, count, this.total, now - this.startedAt)}`);
  }

  // Clears the line, so the summary (or a diagnostic) that follows starts clean; a later update redraws.
  done(): void {
    if (this.drawn) this.io.stderr.write(ANSI.clearLine);
    this.drawn = false;
  }
}

// "purged 5000 of 10000 [############            ]  50%  2500/s" (no bar without a total; no rate in the
// first half second, when it would mean little).
export function progressLine(label: string, count: number, total: number | undefined, elapsedMs: number): string {
  let text = `${label} ${count}`;
  if (total !== undefined && total > 0) {
    const fraction = Math.min(1, count / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    text += ` of ${total} [${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  }
  if (elapsedMs >= 500) text += `  ${formatRate(count / (elapsedMs / 1000))}`;
  return text;
}

export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}
