// The live view loop behind `mq top` and `mq stats --watch`: sample every section, show a frame, wait
// for the interval, repeat until interrupted (or for --frames frames). On a terminal each frame replaces
// the last (cursor home, the lines, clear the rest); elsewhere each sample is appended as plain logfmt
// lines, or NDJSON records with --json. A section is one kind of store (queues today); a stream section
// can be added beside it without touching the loop.
import type { Io } from '../io.js';
import { ANSI } from '../terminal.js';
import { fitWidth } from './live-format.js';
import { sleep } from '../../workers/sleep.js';

export interface LiveFrame {
  // For a terminal: a block of lines.
  screen: string[];
  // When not a terminal: one logfmt line per row, appended.
  plain: string[];
  // With --json: one record per row.
  records: Record<string, unknown>[];
}

export interface LiveSection {
  // One sample at `now`; `width` is what a screen line may take (a section may fit its columns to it).
  sample(now: number, width: number): Promise<LiveFrame>;
}

export type LiveMode = 'screen' | 'plain' | 'json';

export interface LiveViewOptions {
  io: Io;
  mode: LiveMode;
  // The first line of a screen frame.
  heading: (now: number) => string;
  intervalMs: number;
  // Stop after this many frames (default: until interrupted).
  frames?: number;
  signal: AbortSignal;
  // Screen frames are cut to this width, so no line wraps and breaks the redraw.
  width: number;
  now: () => number;
}

export async function runLiveView(sections: LiveSection[], options: LiveViewOptions): Promise<void> {
  const { io, mode, signal } = options;
  for (let frame = 0; options.frames === undefined || frame < options.frames; frame++) {
    if (signal.aborted) break;
    const startedAt = options.now();
    const parts = [];
    for (const section of sections) parts.push(await section.sample(startedAt, options.width));
    if (mode === 'screen') {
      const lines = [options.heading(startedAt), ...parts.flatMap((part) => ['', ...part.screen])];
      const body = lines.map((line) => `${fitWidth(line, options.width)}\x1b[K\n`).join('');
      io.stdout.write(`${frame === 0 ? ANSI.clearScreen : ''}${ANSI.home}${body}${ANSI.clearBelow}`);
    } else {
      const lines = mode === 'plain' ? parts.flatMap((part) => part.plain) : parts.flatMap((part) => part.records.map((r) => JSON.stringify(r)));
      if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
    }
    if (options.frames !== undefined && frame + 1 >= options.frames) break;
    await sleep(Math.max(0, startedAt + options.intervalMs - options.now()), signal);
  }
}
