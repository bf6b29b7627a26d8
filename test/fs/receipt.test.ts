import { describe, expect, it } from 'vitest';
import { decodeReceipt, encodeReceipt } from '../../src/fs/queue/receipt.js';
import { createIdFactory } from '../../src/core/ids.js';
import { MqError } from '../../src/core/errors.js';

const name = {
  deadline: 1_767_225_630_000, id: createIdFactory()(1_767_225_600_000), receiveCount: 2,
  firstReceivedAt: 1_767_225_600_000, receivedAt: 1_767_225_600_000, nonce: 'aaaaaaaaaaaaaaaa',
};

function errorOf(fn: () => unknown): MqError {
  try {
    fn();
  } catch (error) {
    return error as MqError;
  }
  throw new Error('expected an error');
}

describe('receipts', () => {
  it('round-trip and are safe to pass around unquoted', () => {
    const receipt = encodeReceipt('jobs', name);
    expect(receipt).toMatch(/^r1\.[A-Za-z0-9_-]+$/);
    expect(decodeReceipt('jobs', receipt)).toEqual(name);
  });

  it('are refused by another queue', () => {
    const error = errorOf(() => decodeReceipt('other', encodeReceipt('jobs', name)));
    expect(error.code).toBe('RECEIPT_INVALID');
    expect(error.message).toMatch(/issued by queue "jobs"/);
  });

  it.each([
    '', 'garbage', 'r1.', 'r2.abc', 'r1.@@@', `r1.${Buffer.from('jobs/../../etc/passwd').toString('base64url')}`,
    `r1.${Buffer.from('../x/1.2.3').toString('base64url')}`, `${encodeReceipt('jobs', name)}.extra`,
  ])('refuses the malformed receipt %j', (receipt) => {
    expect(errorOf(() => decodeReceipt('jobs', receipt)).code).toBe('RECEIPT_INVALID');
  });

  it('cannot name a path outside the queue even when crafted by hand', () => {
    const forged = `r1.${Buffer.from(`jobs/1767225630000.${name.id}.2.1767225600000.1767225600000.aaaaaaaaaaaaaaaa.../../x`).toString('base64url')}`;
    expect(errorOf(() => decodeReceipt('jobs', forged)).code).toBe('RECEIPT_INVALID');
  });
});
