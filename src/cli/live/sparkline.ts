// A sparkline: a row of block characters whose heights follow a series of numbers, scaled to its largest
// value. Pure.
const BLOCKS = '▁▂▃▄▅▆▇█';

// At most `width` characters; a longer series is squeezed, each character showing the largest value of
// its stretch (so a short spike still shows).
export function sparkline(values: number[], width: number): string {
  if (values.length === 0 || width <= 0) return '';
  const columns = values.length <= width ? values : squeeze(values, width);
  const max = Math.max(...columns);
  if (max <= 0) return BLOCKS[0]!.repeat(columns.length);
  return columns.map((value) => BLOCKS[Math.round((Math.max(0, value) / max) * (BLOCKS.length - 1))]).join('');
}

function squeeze(values: number[], width: number): number[] {
  const columns: number[] = [];
  for (let i = 0; i < width; i++) {
    const start = Math.floor((i * values.length) / width);
    const end = Math.floor(((i + 1) * values.length) / width);
    columns.push(Math.max(...values.slice(start, Math.max(end, start + 1))));
  }
  return columns;
}
