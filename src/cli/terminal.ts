// Whether stdout or stderr is a terminal, which decides if mq draws anything for a person (progress bars,
// the redrawn live view). MQ_FORCE_TTY=1 makes both count as terminals, so tests can drive those paths
// through pipes; data formats never depend on it.
import type { Io } from './io.js';

export type StreamName = 'stdout' | 'stderr';

export function isTerminal(io: Io, stream: StreamName): boolean {
  return io.env.MQ_FORCE_TTY === '1' || Boolean(io[stream].isTTY);
}

// The width to fit drawn lines into (80 when the stream does not say).
export function terminalColumns(io: Io, stream: StreamName): number {
  const columns = (io[stream] as { columns?: number }).columns;
  return typeof columns === 'number' && columns > 0 ? columns : 80;
}

// ANSI sequences used by the drawn views.
export const ANSI = {
  clearLine: '\r\x1b[K',
  home: '\x1b[H',
  clearScreen: '\x1b[2J',
  clearBelow: '\x1b[J',
} as const;
