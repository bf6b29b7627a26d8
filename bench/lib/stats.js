// Numbers: medians, rates, ratios and their formatting.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function rate(count, ms) {
  return ms > 0 ? (count * 1000) / ms : Infinity;
}

export function fmtRate(perSecond) {
  if (perSecond === null || perSecond === undefined) return '-';
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '-';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`;
}

export function fmtRatio(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${value.toFixed(2)}x`;
}

export function fmtCount(n) {
  return n.toLocaleString('en-US');
}

// "PASS"/"FAIL" against a target, or '-' when the comparison could not be made.
export function verdict(ok) {
  if (ok === null || ok === undefined) return '-';
  return ok ? 'PASS' : 'FAIL';
}
