import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeReceipt, encodeReceipt } from '../../../src/fs/queue/receipt.js';
import { createIdFactory } from '../../../src/core/ids.js';
import { formatInFlightName, parseInFlightName } from '../../../src/fs/queue/message-names.js';
import { formatFifoReceiptPath, groupDirName, parseFifoReceiptPath } from '../../../src/fs/queue/fifo/fifo-names.js';
import { MqError } from '../../../src/core/errors.js';

const name = {
  deadline: 1_767_225_630_000, id: createIdFactory(randomBytes)(1_767_225_600_000), receiveCount: 2,
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
    const receipt = encodeReceipt('jobs', formatInFlightName(name));
    expect(receipt).toMatch(/^r1\.[A-Za-z0-9_-]+$/);
    expect(decodeReceipt('jobs', receipt, parseInFlightName)).toEqual(name);
  });

  it('name a FIFO delivery by its group directory, which cannot climb out of groups/', () => {
    const fifoName = { ...name, sequence: '00000000000000000007' };
    const receipt = encodeReceipt('jobs.fifo', formatFifoReceiptPath(groupDirName('a/b'), fifoName));
    expect(decodeReceipt('jobs.fifo', receipt, parseFifoReceiptPath)).toEqual({ groupDir: groupDirName('a/b'), name: fifoName });
    const forged = encodeReceipt('jobs.fifo', `../x/${receipt}`);
    expect(errorOf(() => decodeReceipt('jobs.fifo', forged, parseFifoReceiptPath)).code).toBe('RECEIPT_INVALID');
  });

  it('are refused by another queue', () => {
    const error = errorOf(() => decodeReceipt('other', encodeReceipt('jobs', formatInFlightName(name)), parseInFlightName));
    expect(error.code).toBe('RECEIPT_INVALID');
    expect(error.message).toMatch(/issued by queue "jobs"/);
  });

  it.each([
    '', 'garbage', 'r1.', 'r2.abc', 'r1.@@@', `r1.${Buffer.from('jobs/../../etc/passwd').toString('base64url')}`,
    `r1.${Buffer.from('../x/1.2.3').toString('base64url')}`, `${encodeReceipt('jobs', formatInFlightName(name))}.extra`,
  ])('refuses the malformed receipt %j', (receipt) => {
    expect(errorOf(() => decodeReceipt('jobs', receipt, parseInFlightName)).code).toBe('RECEIPT_INVALID');
  });

  it('cannot name a path outside the queue even when crafted by hand', () => {
    const forged = `r1.${Buffer.from(`jobs/1767225630000.${name.id}.2.1767225600000.1767225600000.aaaaaaaaaaaaaaaa.../../x`).toString('base64url')}`;
    expect(errorOf(() => decodeReceipt('jobs', forged, parseInFlightName)).code).toBe('RECEIPT_INVALID');
  });
});
