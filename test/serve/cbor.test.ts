// The CBOR codec against an independent implementation (the `cbor` package), and the Kinesis API over
// CBOR (application/x-amz-cbor-1.1) as the AWS SDK for Java speaks it: byte strings for data, tag 1
// with epoch milliseconds for timestamps, indefinite-length maps as Jackson writes them.
import cbor from 'cbor';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../src/serve/api/cbor.js';
import { startTestServer } from '../helpers/serve.js';

describe('CBOR codec', () => {
  it('decodes what an independent encoder writes: integers of every width, floats, strings, bytes, lists, maps, booleans, null', () => {
    const value = {
      small: 1, byte: 200, short: 60_000, int: 4_000_000_000, long: 2 ** 40, negative: -300, float: 1.5, double: 0.1,
      text: 'héllo 😀', bytes: Buffer.from([0, 1, 255]), list: [1, 'two', [3]], nested: { a: { b: true } }, no: false, nothing: null,
    };
    expect(decodeCbor(cbor.encode(value))).toEqual(value);
  });

  it('writes what an independent decoder reads back', () => {
    const value = { n: 42, neg: -1, f: 2.25, s: 'text', b: Buffer.from('bytes'), l: [true, false, null], m: { x: 1 } };
    expect(cbor.decodeFirstSync(encodeCbor(value))).toEqual(value);
  });

  it('reads tag 1 as a date in seconds (RFC 8949) or in milliseconds (the AWS SDK for Java), and writes milliseconds', () => {
    expect(decodeCbor(cbor.encode(new Date(1_500_000_000_500)))).toEqual(new Date(1_500_000_000_500));
    const javaStyle = Buffer.alloc(10);
    javaStyle[0] = 0xc1;
    javaStyle[1] = 0x1b;
    javaStyle.writeBigUInt64BE(1_499_999_999_348n, 2);
    expect(decodeCbor(javaStyle)).toEqual(new Date(1_499_999_999_348));
    const written = encodeCbor({ t: new Date(1_700_000_000_123) });
    const tagged = cbor.decodeFirstSync(written, { tags: { 1: (v: number) => ({ tag1: v }) } }) as { t: { tag1: number } };
    expect(tagged.t.tag1).toBe(1_700_000_000_123);
  });

  it('reads indefinite-length maps, lists, strings and byte strings, and half floats', () => {
    // {_ "a": [_ 1, 2], "s": (_ "ab", "c"), "b": (_ h'01', h'02')} and a half float 1.5
    const bytes = Buffer.from('bf6161' + '9f0102ff' + '6173' + '7f626162' + '6163' + 'ff' + '6162' + '5f4101' + '4102' + 'ff' + '6168f93e00' + 'ff', 'hex');
    expect(decodeCbor(bytes)).toEqual({ a: [1, 2], s: 'abc', b: Buffer.from([1, 2]), h: 1.5 });
  });

  it('refuses truncated input, trailing bytes and deep nesting', () => {
    expect(() => decodeCbor(Buffer.from('a1616101', 'hex').subarray(0, 3))).toThrow();
    expect(() => decodeCbor(Buffer.from('0101', 'hex'))).toThrow();
    expect(() => decodeCbor(Buffer.from('81'.repeat(100) + '01', 'hex'))).toThrow();
  });
});

describe('Kinesis API over CBOR', () => {
  async function call(endpoint: string, action: string, body: unknown): Promise<{ status: number; type: string | null; value: Record<string, unknown> }> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': `Kinesis_20131202.${action}`, 'content-type': 'application/x-amz-cbor-1.1' },
      body: cbor.encode(body),
    });
    const value = cbor.decodeFirstSync(Buffer.from(await response.arrayBuffer()), { tags: { 1: (v: number) => ({ epochMs: v }) } });
    return { status: response.status, type: response.headers.get('content-type'), value };
  }

  it('puts bytes and reads them back as byte strings with millisecond arrival times', async () => {
    const t = await startTestServer();
    expect((await call(t.endpoint, 'CreateStream', { StreamName: 'ev', ShardCount: 1 })).status).toBe(200);
    const data = Buffer.from('{"op":"login"}');
    const put = await call(t.endpoint, 'PutRecord', { StreamName: 'ev', Data: data, PartitionKey: 'k' });
    expect(put).toMatchObject({ status: 200, type: 'application/x-amz-cbor-1.1', value: { ShardId: 'shardId-000000000000', SequenceNumber: expect.any(String) } });
    const { value: it } = await call(t.endpoint, 'GetShardIterator', { StreamName: 'ev', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    const got = await call(t.endpoint, 'GetRecords', { ShardIterator: it.ShardIterator });
    const [record] = got.value.Records as { Data: Buffer; ApproximateArrivalTimestamp: { epochMs: number }; SequenceNumber: string }[];
    expect(Buffer.isBuffer(record!.Data) && record!.Data.equals(data)).toBe(true);
    expect(Math.abs(record!.ApproximateArrivalTimestamp.epochMs - Date.now())).toBeLessThan(60_000);
    expect(record!.SequenceNumber).toBe(put.value.SequenceNumber);
    // AT_TIMESTAMP with a Java-style timestamp (tag 1, epoch milliseconds).
    const since = new cbor.Tagged(1, Date.now() - 60_000);
    const { value: at } = await call(t.endpoint, 'GetShardIterator', { StreamName: 'ev', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since });
    expect(((await call(t.endpoint, 'GetRecords', { ShardIterator: at.ShardIterator })).value.Records as unknown[]).length).toBe(1);
  });

  it('answers errors in CBOR', async () => {
    const t = await startTestServer();
    const missing = await call(t.endpoint, 'DescribeStreamSummary', { StreamName: 'none' });
    expect(missing).toMatchObject({ status: 400, type: 'application/x-amz-cbor-1.1', value: { __type: 'ResourceNotFoundException', message: expect.any(String) } });
    const response = await fetch(t.endpoint, {
      method: 'POST', headers: { 'x-amz-target': 'Kinesis_20131202.ListStreams', 'content-type': 'application/x-amz-cbor-1.1' }, body: Buffer.from('ff', 'hex'),
    });
    expect(response.status).toBe(400);
    expect(cbor.decodeFirstSync(Buffer.from(await response.arrayBuffer()))).toMatchObject({ __type: 'SerializationException' });
  });
});
