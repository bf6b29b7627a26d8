// A one-line progress counter on stderr, redrawn at most ten times a second, shown only when stderr is
// a terminal (never in pipes, logs or tests).
import type { Io } from './io.js';

export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly io: Io, private readonly label: string, private readonly total?: number) {}

  update(count: number): void {
    if (!this.io.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const of = this.total ? ` of ${this.total} (${Math.floor((count / this.total) * 100)}%)` : '';
    this.io.stderr.write(`\r\x1b[Kmq: ${this.label} ${count}${of}`);
  }

  // Clears the line, so the summary that follows starts clean.
  done(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
  }
}
