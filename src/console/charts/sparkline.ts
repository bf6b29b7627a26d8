// A sparkline as inline SVG: a line over the last minute's samples, scaled to their largest value, with
// a label that says in words what it shows (for screen readers). Pure.
import { type Html, html, trusted } from '../html.js';

const WIDTH = 120;
const HEIGHT = 28;
const PAD = 2;

export function sparklineSvg(values: number[], label: string): Html {
  const max = Math.max(1, ...values);
  const y = (value: number) => (HEIGHT - PAD - (Math.max(0, value) / max) * (HEIGHT - 2 * PAD)).toFixed(1);
  const x = (i: number) => (values.length <= 1 ? WIDTH - PAD : PAD + (i * (WIDTH - 2 * PAD)) / (values.length - 1)).toFixed(1);
  const points = values.map((value, i) => `${x(i)},${y(value)}`).join(' ');
  const last = values.at(-1);
  const summary = values.length === 0 ? 'no samples yet' : `now ${last}, highest ${Math.max(...values)}, over ${values.length} samples`;
  const shape = values.length === 1
    ? trusted(`<circle cx="${x(0)}" cy="${y(values[0]!)}" r="1.5"/>`)
    : trusted(`<polyline points="${points}"/>`);
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}: ${summary}">${values.length > 0 ? shape : ''}</svg>`;
}

// A horizontal bar, `fraction` (0..1) of the full width, for a cell of a table.
export function barSvg(fraction: number, label: string): Html {
  const width = Math.max(0, Math.min(1, fraction)) * 100;
  return html`<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="${label}"><rect class="track" width="100" height="8"/><rect width="${width.toFixed(2)}" height="8"/></svg>`;
}
