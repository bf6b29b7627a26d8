import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAttributes, checkBody, checkMessage, md5Hex, md5OfAttributes, messageSize } from '../../src/core/message.js';
import { MqError } from '../../src/core/errors.js';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as MqError).code;
  }
}

describe('message bodies', () => {
  it('accepts text, tabs, newlines, CR, non-BMP characters and the top of the BMP', () => {
    expect(codeOf(() => checkBody('hello\tworld\r\n😀 \uE000 \uFFFD \uD7FF'))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['NUL', 'a\0b'],
    ['other C0 control', 'a\u0001'],
    ['U+FFFE', '\uFFFE'],
    ['U+FFFF', '\uFFFF'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
  ])('rejects %s', (_label, body) => {
    expect(codeOf(() => checkBody(body))).toBe('INVALID_MESSAGE');
  });

  it('counts the body and every attribute name, type and value toward the size', () => {
    expect(messageSize('héllo', {})).toBe(6);
    expect(messageSize('x', { k: 'vv' })).toBe(1 + 1 + 'String'.length + 2);
  });

  it('rejects a message over the limit, attributes included', () => {
    expect(codeOf(() => checkMessage('x'.repeat(1024), {}, 1024))).toBeUndefined();
    expect(codeOf(() => checkMessage('x'.repeat(1025), {}, 1024))).toBe('MESSAGE_TOO_LARGE');
    expect(codeOf(() => checkMessage('x'.repeat(1000), { key: 'x'.repeat(20) }, 1024))).toBe('MESSAGE_TOO_LARGE');
  });
});

describe('message attributes', () => {
  it('accepts up to ten well-formed attributes', () => {
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a.b-c_${i}`, 'v']));
    expect(codeOf(() => checkAttributes(ten))).toBeUndefined();
  });

  it('rejects more than ten', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect(codeOf(() => checkAttributes(eleven))).toBe('INVALID_MESSAGE');
  });

  it.each(['AWS.x', 'aws.x', 'Amazon.y', 'AMAZON.z', '.lead', 'trail.', 'a..b', 'sp ace', 'x'.repeat(257), ''])(
    'rejects the name %j', (name) => {
      expect(codeOf(() => checkAttributes({ [name]: 'v' }))).toBe('INVALID_MESSAGE');
    },
  );

  it('rejects empty values and invalid characters in values', () => {
    expect(codeOf(() => checkAttributes({ k: '' }))).toBe('INVALID_MESSAGE');
    expect(codeOf(() => checkAttributes({ k: 'a\u0002' }))).toBe('INVALID_MESSAGE');
  });
});

describe('typed message attributes', () => {
  it('accepts Number, Binary and custom-labelled types', () => {
    expect(codeOf(() => checkAttributes({
      n: { type: 'Number', value: '12.5e-3' }, big: { type: 'Number.int', value: '12345678901234567890123456789012345678' },
      b: { type: 'Binary', binary: 'AAEC' }, s: { type: 'String.json', value: '{}' },
    }))).toBeUndefined();
  });

  it.each([
    ['a non-number', { type: 'Number', value: '1,5' }],
    ['39 significant digits', { type: 'Number', value: '1'.repeat(39) }],
    ['a number over 10^126', { type: 'Number', value: '1e127' }],
    ['an unknown type', { type: 'Integer', value: '1' }],
    ['Binary as text', { type: 'Binary', value: 'x' }],
    ['text as Binary', { type: 'String', binary: 'AAEC' }],
    ['bad base64', { type: 'Binary', binary: 'A' }],
    ['an empty binary value', { type: 'Binary', binary: '' }],
  ])('rejects %s', (_label, value) => {
    expect(codeOf(() => checkAttributes({ k: value as never }))).toBe('INVALID_MESSAGE');
  });

  it('counts a binary value by its bytes and the type by its name', () => {
    expect(messageSize('x', { k: { type: 'Binary', binary: 'AAECAw==' } })).toBe(1 + 1 + 'Binary'.length + 4);
    expect(messageSize('x', { k: { type: 'Number.int', value: '42' } })).toBe(1 + 1 + 'Number.int'.length + 2);
  });
});

describe('checksums', () => {
  it('MD5 of the body is the hex MD5 of its UTF-8 bytes', () => {
    expect(md5Hex('My first message.')).toBe('01cdf1b34e8351b604422a26270c2c5f');
  });

  it('MD5 of the attributes matches the AWS sample (SellerName = Example Store)', () => {
    expect(md5OfAttributes({ SellerName: 'Example Store' })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
  });

  it('MD5 of typed attributes matches the AWS SDK for Java test vectors (transport type 1 for String/Number, 2 for Binary)', () => {
    // The digest of {"n": Number 1} and {"b": Binary 0x00}, as computed by the SQS MD5 algorithm.
    const md5 = (parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest('hex');
    const lp = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    expect(md5OfAttributes({ n: { type: 'Number', value: '1' } })).toBe(md5([lp(Buffer.from('n')), lp(Buffer.from('Number')), Buffer.from([1]), lp(Buffer.from('1'))]));
    expect(md5OfAttributes({ b: { type: 'Binary', binary: 'AA==' } })).toBe(md5([lp(Buffer.from('b')), lp(Buffer.from('Binary')), Buffer.from([2]), lp(Buffer.from([0]))]));
  });

  it('does not depend on the order attributes were given in, and is absent without attributes', () => {
    expect(md5OfAttributes({ b: '2', a: '1' })).toBe(md5OfAttributes({ a: '1', b: '2' }));
    expect(md5OfAttributes({})).toBeUndefined();
  });
});
