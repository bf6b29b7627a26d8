// How numbers and times read on the console's pages. Pure.
import { formatAge } from '../core/units.js';

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

// Bytes in the largest binary unit that keeps one or more whole units, one decimal ("1.5 MiB").
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return '–';
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}

// Milliseconds as an age ("1m01s"), rounded down to whole seconds; under a second as "0s".
export function formatAgeMs(ms: number | null): string {
  return ms === null ? '–' : formatAge(Math.max(0, Math.floor(ms / 1000)));
}

// A time in UTC to the second: "2026-12-04 15:08:01Z".
export function formatTime(ms: number | null): string {
  if (ms === null || ms === 0) return '–';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatAgeMs(ms);
}
