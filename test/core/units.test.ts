import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseInteger, parseSize, parseTimestamp } from '../../src/core/units.js';
import { isMqError } from '../../src/core/errors.js';
import { formatAge } from '../../src/cli/live/live-format.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['5m', 300_000], ['12h', 43_200_000], ['4d', 345_600_000], ['30', 30_000],
    ['0', 0], ['1.5s', 1500], ['0.5', 500], [' 2m ', 120_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['1h30m', 5_400_000], ['2d12h', 216_000_000], ['1m41s', 101_000], ['1h02m', 3_720_000], ['1s500ms', 1500],
    ['1d1h1m1s1ms', 90_061_001], ['1m0.5s', 60_500],
  ])('compound %s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '-1s', '5w', '1e3', 's', '1 s', '10x', '30s5m', '1h1h', '1m 30s', '1h30', '1hm', '30s ms', 'ms1s'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('formatDuration', () => {
  it.each([[0, '0s'], [500, '500ms'], [30_000, '30s'], [300_000, '5m'], [345_600_000, '4d'], [1500, '1500ms'], [90_000, '90s']])(
    '%d ms is %s', (ms, text) => {
      expect(formatDuration(ms)).toBe(text);
    },
  );

  it('round-trips through parseDuration', () => {
    for (const ms of [0, 1, 999, 1000, 61_000, 3_600_000, 86_400_000 * 3]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('reads back every age mq top prints', () => {
    for (const seconds of [0, 59, 101, 3599, 3720, 86_399, 90_000, 86_400 * 40 + 3600]) {
      const age = formatAge(seconds);
      expect([age, parseDuration(age)]).toEqual([age, expect.any(Number)]);
    }
    expect(parseDuration(formatAge(101))).toBe(101_000);
  });
});

describe('parseSize', () => {
  it.each([['1024', 1024], ['256KiB', 262_144], ['1MiB', 1_048_576], ['1mib', 1_048_576], ['2KB', 2000], ['10B', 10]])(
    '%s is %d bytes', (text, bytes) => {
      expect(parseSize(text)).toBe(bytes);
    },
  );

  it.each(['', '1.5MiB', '-1', 'MiB', '1 MiB', '1TiB'])('rejects %j', (text) => {
    expect(() => parseSize(text)).toThrow(/invalid size/);
  });

  it('formats with the largest exact unit', () => {
    expect(formatSize(1_048_576)).toBe('1MiB');
    expect(formatSize(1536)).toBe('1536B');
    expect(formatSize(262_144)).toBe('256KiB');
  });
});

describe('parseTimestamp', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0, 0);

  it('takes ISO-8601, epoch milliseconds and relative times', () => {
    expect(parseTimestamp('2026-06-01T11:00:00Z', now)).toBe(now - 3_600_000);
    expect(parseTimestamp(String(now - 5), now)).toBe(now - 5);
    expect(parseTimestamp('-15m', now)).toBe(now - 900_000);
    expect(parseTimestamp('-2h', now)).toBe(now - 7_200_000);
  });

  it.each(['yesterday', '', '2026-13-45', 'June 1'])('rejects %j', (text) => {
    expect(() => parseTimestamp(text, now)).toThrow(/invalid time/);
  });
});

describe('parseInteger', () => {
  it('accepts whole numbers within range', () => {
    expect(parseInteger('10', 'count', 1, 10)).toBe(10);
  });

  it('rejects fractions, signs and values out of range with INVALID_ARGUMENT', () => {
    for (const text of ['0', '11', '1.5', '-1', 'x', '']) {
      let error: unknown;
      try {
        parseInteger(text, 'count', 1, 10);
      } catch (e) {
        error = e;
      }
      expect(isMqError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
