// A JetStream message read back as a stream record: the key from its header, the data as text, as bytes,
// or as base64 marked dataEncoding when it is not UTF-8 (as the file store reads it).
import { describe, expect, it } from 'vitest';
import { keyHeaders, toStreamRecord } from '../../src/jetstream/stream/records.js';

function stored(data: Uint8Array, key = 'user-42') {
  return { seq: 7, time: 1_000, headers: new Map(Object.entries(keyHeaders(key))), data };
}

describe('a stored message as a stream record', () => {
  it('gives UTF-8 data as text, and the bytes unchanged when asked for bytes', () => {
    const text = Buffer.from('é \n "quoted"');
    expect(toStreamRecord(2, stored(text), 'string')).toEqual({
      shardId: 'shardId-000000000002', sequence: expect.any(String), arrivedAt: 1_000, partitionKey: 'user-42', data: 'é \n "quoted"',
    });
    expect(toStreamRecord(2, stored(text), 'bytes').data).toBe(text);
  });

  it('gives data that is not UTF-8 as base64 marked dataEncoding, and as the same bytes', () => {
    const binary = Buffer.from([0xff, 0x00, 0x0a, 0xc3, 0x28]);
    const asText = toStreamRecord(0, stored(binary), 'string');
    expect([asText.data, asText.dataEncoding]).toEqual([binary.toString('base64'), 'base64']);
    const asBytes = toStreamRecord(0, stored(binary), 'bytes');
    expect([Buffer.from(asBytes.data as Uint8Array), asBytes.dataEncoding]).toEqual([binary, undefined]);
  });

  it('reads a key that no header value could hold back from its base64 form', () => {
    expect(toStreamRecord(0, stored(Buffer.from('x'), ' spaced\r\nkey é'), 'string').partitionKey).toBe(' spaced\r\nkey é');
  });
});
