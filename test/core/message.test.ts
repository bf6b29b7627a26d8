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

describe('checksums', () => {
  it('MD5 of the body is the hex MD5 of its UTF-8 bytes', () => {
    expect(md5Hex('My first message.')).toBe('01cdf1b34e8351b604422a26270c2c5f');
  });

  it('MD5 of the attributes matches the AWS sample (SellerName = Example Store)', () => {
    expect(md5OfAttributes({ SellerName: 'Example Store' })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
  });

  it('does not depend on the order attributes were given in, and is absent without attributes', () => {
    expect(md5OfAttributes({ b: '2', a: '1' })).toBe(md5OfAttributes({ a: '1', b: '2' }));
    expect(md5OfAttributes({})).toBeUndefined();
  });
});
