import { describe, expect, it, vi } from 'vitest';
import { MqError, isMqError } from '../../src/core/errors.js';

describe('MqError', () => {
  it('is recognised by instanceof across copies of the module (the JetStream bundle has its own)', async () => {
    // A second copy of the module, as a separately bundled backend would have it.
    vi.resetModules();
    const copy = await import('../../src/core/errors.js');
    expect(copy.MqError).not.toBe(MqError);
    const foreign = new copy.MqError('UNAVAILABLE', 'no leader');
    expect(foreign instanceof MqError).toBe(true);
    expect(isMqError(foreign, 'UNAVAILABLE')).toBe(true);
    expect(new MqError('IO', 'x') instanceof copy.MqError).toBe(true);
    expect(new Error('x') instanceof MqError).toBe(false);
    expect({ code: 'IO' } instanceof MqError).toBe(false);
  });
});
