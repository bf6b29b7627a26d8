// Small formatters of the live view: ages, rates, right-aligned tables, and lines cut to the terminal.
export { formatAge } from '../../core/units.js';

export function formatPerSecond(rate: number | null): string {
  if (rate === null) return '-';
  return rate >= 100 ? String(Math.round(rate)) : rate.toFixed(1);
}

// Rounds a rate for JSON and logfmt output (two decimals).
export function roundRate(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 100) / 100;
}

// Columns separated by two spaces; those listed in `right` are right-aligned (numbers); the last column
// is not padded.
export function alignColumns(rows: string[][], right: Set<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => {
    if (i === row.length - 1 && !right.has(i)) return cell;
    const pad = ' '.repeat(widths[i]! - [...cell].length);
    return right.has(i) ? pad + cell : cell + pad;
  }).join('  ').trimEnd());
}

// Cuts a line to `width` characters (counting each code point as one column).
export function fitWidth(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : chars.slice(0, width).join('');
}

// key=value pairs (logfmt) for plain appended lines; values with spaces are quoted.
export function logfmt(fields: Record<string, string | number | null | undefined>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = value === null ? '-' : String(value);
      return `${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
    })
    .join(' ');
}
