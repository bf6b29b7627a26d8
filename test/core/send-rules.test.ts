// The rules of a send for any backend: checks by queue type, atomic batches, and outcomes in order.
import { describe, expect, it } from 'vitest';
import { MqError } from '../../src/core/errors.js';
import { defaultQueueAttributes } from '../../src/core/queue-attributes.js';
import { checkSend, checkSends, sendOutcomes } from '../../src/core/send-rules.js';
import { codeOfSync } from '../helpers/error-codes.js';

const standard = defaultQueueAttributes('jobs');
const fifo = { ...defaultQueueAttributes('jobs.fifo'), contentDedup: true };

describe('checkSend', () => {
  it('makes a standard message visible after its own delay, else the queue\'s', () => {
    expect(checkSend('jobs', { ...standard, delayMs: 5000 }, { body: 'x' }, 1000)).toEqual({ content: { body: 'x' }, visibleAt: 6000 });
    expect(checkSend('jobs', standard, { body: 'x', delayMs: 0, attributes: { a: 'b' } }, 1000))
      .toEqual({ content: { body: 'x', attributes: { a: 'b' } }, visibleAt: 1000 });
  });

  it('gives a FIFO message its group, dedup id (content-based here) and dedup key', () => {
    const checked = checkSend('jobs.fifo', fifo, { body: 'x', group: 'g' }, 1000);
    expect(checked.content).toMatchObject({ body: 'x', group: 'g' });
    expect(checked.content.dedupId).toMatch(/^[0-9a-f]{64}$/);
    expect(checked.dedupKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses what the queue type does not allow', () => {
    expect(codeOfSync(() => checkSend('jobs', standard, { body: 'x', dedupId: 'd' }, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => checkSend('jobs.fifo', fifo, { body: 'x' }, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => checkSend('jobs.fifo', fifo, { body: 'x', group: 'g', delayMs: 1 }, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => checkSend('jobs.fifo', { ...fifo, contentDedup: false }, { body: 'x', group: 'g' }, 0))).toBe('INVALID_ARGUMENT');
    expect(codeOfSync(() => checkSend('jobs', standard, { body: '' }, 0))).toBe('INVALID_MESSAGE');
  });
});

describe('checkSends and sendOutcomes', () => {
  const requests = [{ body: 'a' }, { body: '' }, { body: 'c' }];

  it('keeps each request\'s error in place, or throws the first naming its place when atomic', () => {
    const checked = checkSends('jobs', standard, requests, 0);
    expect(checked.map((entry) => (entry instanceof MqError ? entry.code : 'ok'))).toEqual(['ok', 'INVALID_MESSAGE', 'ok']);
    expect(() => checkSends('jobs', standard, requests, 0, true)).toThrow(/^message 2: message body is empty$/);
    expect(() => checkSends('jobs', standard, [{ body: '' }], 0, true)).toThrow(/^message body is empty$/);
  });

  it('reports the stored results in request order, and a failure for those not stored', () => {
    const checked = checkSends('jobs', standard, requests, 0);
    expect(sendOutcomes(checked, [{ id: 'A' }, { id: 'C', duplicate: true, sequence: '1' }])).toEqual([
      { ok: true, id: 'A' }, { ok: false, error: checked[1] }, { ok: true, id: 'C', sequence: '1', duplicate: true },
    ]);
    const full = new MqError('IO', 'disk full');
    expect(sendOutcomes(checked, [{ id: 'A' }], full).map((o) => (o.ok ? o.id : o.error.message))).toEqual(['A', 'message body is empty', 'disk full']);
  });
});
