// Parsing of the human units the CLI and the attributes take: durations ("500ms", "30s", "5m", "12h",
// "4d", compounds such as "1h30m", or bare seconds) and sizes ("256KiB", "1MiB", or bytes). Pure; every result is an integer.
import { invalidArgument } from './errors.js';

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_UNITS = ['d', 'h', 'm', 's', 'ms'];

// Parses a duration into whole milliseconds: "30s", "1.5h", a compound with units from largest to smallest
// ("1h30m", "2d12h", "1m41s", as mq top prints ages), or a bare number of seconds.
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : compoundDuration(trimmed);
  if (ms === null) {
    throw invalidArgument(`invalid ${what} ${JSON.stringify(text)}: use a number with ms, s, m, h or d (e.g. 30s, 5m, 1h30m)`);
  }
  if (!Number.isSafeInteger(Math.round(ms))) throw invalidArgument(`${what} ${JSON.stringify(text)} is too large`);
  return Math.round(ms);
}

// "1h30m": parts with units, each unit smaller than the one before; null when the text is not that.
function compoundDuration(text: string): number | null {
  let ms = 0;
  let lastUnit = -1;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    const unit = match ? DURATION_UNITS.indexOf(match[2]!) : -1;
    if (!match || unit <= lastUnit) return null;
    lastUnit = unit;
    ms += Number(match[1]) * DURATION_UNIT_MS[match[2]!]!;
  }
  return lastUnit === -1 ? null : ms;
}

// Formats milliseconds with the largest unit that divides them exactly ("30s", "4d", "1500ms"), a form
// parseDuration reads back.
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNIT_MS[unit]!;
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms === 0 ? '0s' : `${ms}ms`;
}

const SIZE = /^(\d+)(B|KiB|MiB|GiB|KB|MB|GB)?$/i;
const SIZE_UNIT_BYTES: Record<string, number> = {
  b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3,
};

// Parses a size into bytes: "1048576", "256KiB", "1MiB" (KB/MB/GB are decimal).
export function parseSize(text: string, what = 'size'): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw invalidArgument(`invalid ${what} ${JSON.stringify(text)}: use bytes or a unit such as 256KiB or 1MiB`);
  const bytes = Number(match[1]) * SIZE_UNIT_BYTES[(match[2] ?? 'b').toLowerCase()]!;
  if (!Number.isSafeInteger(bytes)) throw invalidArgument(`${what} ${JSON.stringify(text)} is too large`);
  return bytes;
}

// An age in whole seconds, in its two largest units ("59s", "1m01s", "5h07m", "2d03h"); null is "-".
export function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(seconds / 86_400)}d${String(Math.floor((seconds % 86_400) / 3600)).padStart(2, '0')}h`;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

// Parses a point in time: ISO-8601, epoch milliseconds, or relative to `nowMs` ("-15m", "-2h").
export function parseTimestamp(text: string, nowMs: number, what = 'time'): number {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) return nowMs - parseDuration(trimmed.slice(1), what);
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    throw invalidArgument(`invalid ${what} ${JSON.stringify(text)}: use ISO-8601, epoch milliseconds, or -15m style`);
  }
  return ms;
}

// Parses a whole number within [min, max].
export function parseInteger(text: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim())) throw invalidArgument(`invalid ${what} ${JSON.stringify(text)}: expected a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw invalidArgument(`${what} must be between ${min} and ${max}, got ${text}`);
  return value;
}
