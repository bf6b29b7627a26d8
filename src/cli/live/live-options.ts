// The options every live view takes (--interval, --frames) and how it shows itself: redrawn on a
// terminal, appended plain lines elsewhere, NDJSON with --json.
import { type Command, Option } from 'commander';
import { formatDuration } from '../../core/units.js';
import type { Session } from '../context.js';
import { countOption, durationOption } from '../options.js';
import { isTerminal, terminalColumns } from '../terminal.js';
import type { LiveMode, LiveViewOptions } from './live-view.js';

export interface LiveFlags {
  interval: number;
  frames?: number;
}

const MIN_INTERVAL_MS = 100;

export function addLiveOptions(command: Command): Command {
  return command
    .option('--interval <duration>', 'time between samples (at least 100ms)', durationOption, 1000)
    .option('--frames <n>', 'stop after N samples (default: until Ctrl-C)', countOption(1));
}

// A hidden twin of addLiveOptions for commands where watching is an option, not the point (stats).
export function addHiddenLiveOptions(command: Command): Command {
  return command
    .addOption(new Option('--interval <duration>', 'with --watch: time between samples').argParser(durationOption).default(1000))
    .addOption(new Option('--frames <n>', 'with --watch: stop after N samples').argParser(countOption(1)));
}

export function liveViewOptions(session: Session, flags: LiveFlags, title: string): LiveViewOptions {
  const { io, out } = session;
  const mode: LiveMode = out.json ? 'json' : isTerminal(io, 'stdout') ? 'screen' : 'plain';
  const intervalMs = Math.max(MIN_INTERVAL_MS, flags.interval);
  return {
    io,
    mode,
    heading: (now) => `${title}  ${new Date(now).toISOString().slice(11, 19)}Z  every ${formatDuration(intervalMs)}, Ctrl-C quits`,
    intervalMs,
    ...(flags.frames !== undefined ? { frames: flags.frames } : {}),
    signal: io.interruptSignal(),
    width: terminalColumns(io, 'stdout'),
    now: () => Date.now(),
  };
}
