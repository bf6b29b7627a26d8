import { describe, expect, it } from 'vitest';
import { DEFAULT_DURABILITY, checkDurability } from '../../src/core/durability.js';
import { isMqError } from '../../src/core/errors.js';

describe('durability levels', () => {
  it('accepts fsync and none, fsync by default', () => {
    expect(checkDurability('fsync')).toBe('fsync');
    expect(checkDurability('none')).toBe('none');
    expect(DEFAULT_DURABILITY).toBe('fsync');
  });

  it('refuses anything else, naming what was given', () => {
    let error: unknown;
    try {
      checkDurability('sync', 'MQ_DURABILITY');
    } catch (caught) {
      error = caught;
    }
    expect(isMqError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toBe('MQ_DURABILITY must be fsync or none, got "sync"');
  });
});
