// How a read judges each valid line it scans (read.ts): one verdict per line.
import { describe, expect, it } from 'vitest';
import { type ScanState, judgeLine } from '../../../src/fs/stream/read.js';

const state = (overrides: Partial<ScanState> = {}): ScanState => ({ expect: null, cutoff: 100, until: undefined, handedOut: 0, jumped: false, ...overrides });

describe('judgeLine', () => {
  it('takes an unexpired line before the window end', () => {
    expect(judgeLine(5, 101, state())).toBe('take');
    expect(judgeLine(5, 199, state({ until: 200 }))).toBe('take');
  });

  it('jumps over expired lines once, before anything was handed out, and passes them otherwise', () => {
    expect(judgeLine(5, 100, state())).toBe('jump');
    expect(judgeLine(5, 100, state({ jumped: true }))).toBe('pass');
    expect(judgeLine(5, 50, state({ handedOut: 3 }))).toBe('pass');
  });

  it('ends the read at the first line at or after the window end', () => {
    expect(judgeLine(5, 200, state({ until: 200 }))).toBe('window-end');
  });

  it('refuses a remembered place whose first line is not the counter it was for, before anything else', () => {
    expect(judgeLine(6, 50, state({ expect: 5 }))).toBe('mismatch');
    expect(judgeLine(5, 150, state({ expect: 5 }))).toBe('take');
  });
});
