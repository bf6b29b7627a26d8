// Checks and checksums of one message, as SQS defines them: allowed characters, attribute rules, the
// size accounting (body plus every attribute name, type and value) and the MD5 digests SendMessage returns.
import { MqError } from './errors.js';
import { hashHex, nodeCrypto } from './lazy-crypto.js';
import { MAX_MESSAGE_ATTRIBUTES } from './queue-attributes.js';

export type MessageAttributes = Record<string, string>;

// Characters SQS accepts in a body or attribute value (XML 1.0 characters); with the u flag a lone
// surrogate is one code point and so is rejected too.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const STRING_TYPE = 'String';

export function checkBody(body: string): void {
  if (body.length === 0) throw new MqError('INVALID_MESSAGE', 'message body is empty');
  const bad = INVALID_CHARACTER.exec(body);
  if (bad) throw new MqError('INVALID_MESSAGE', `message body contains an invalid character ${describeCodePoint(bad[0])} at offset ${bad.index}`);
}

export function checkAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new MqError('INVALID_MESSAGE', `a message has at most ${MAX_MESSAGE_ATTRIBUTES} attributes, got ${names.length}`);
  }
  for (const name of names) {
    const reason = attributeNameProblem(name);
    if (reason) throw new MqError('INVALID_MESSAGE', `invalid attribute name ${JSON.stringify(name)}: ${reason}`);
    const value = attributes[name]!;
    if (value.length === 0) throw new MqError('INVALID_MESSAGE', `attribute ${JSON.stringify(name)} has an empty value`);
    const bad = INVALID_CHARACTER.exec(value);
    if (bad) throw new MqError('INVALID_MESSAGE', `attribute ${JSON.stringify(name)} contains an invalid character ${describeCodePoint(bad[0])}`);
  }
}

function attributeNameProblem(name: string): string | null {
  if (!ATTRIBUTE_NAME.test(name)) return 'use 1-256 characters from A-Z a-z 0-9 _ - .';
  if (/^(aws|amazon)\./i.test(name)) return 'names starting with AWS. or Amazon. are reserved';
  if (name.startsWith('.') || name.endsWith('.')) return 'a name cannot start or end with a period';
  if (name.includes('..')) return 'a name cannot contain two periods in a row';
  return null;
}

// The size SQS counts against MaximumMessageSize: the UTF-8 body plus each attribute's name, type and value.
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + STRING_TYPE.length + Buffer.byteLength(value);
  }
  return size;
}

export function checkMessage(body: string, attributes: MessageAttributes, maxBytes: number): void {
  checkBody(body);
  checkAttributes(attributes);
  const size = messageSize(body, attributes);
  if (size > maxBytes) {
    throw new MqError('MESSAGE_TOO_LARGE', `message is ${size} bytes, more than the queue's maximum of ${maxBytes} bytes`);
  }
}

export function md5Hex(text: string): string {
  return hashHex('md5', text);
}

// MD5OfMessageAttributes: attributes sorted by name, each encoded as length-prefixed name, type, a
// transport byte (1 for String) and length-prefixed value, all digested together.
export function md5OfAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = nodeCrypto().createHash('md5');
  for (const name of names) {
    hash.update(lengthPrefixed(name));
    hash.update(lengthPrefixed(STRING_TYPE));
    hash.update(Uint8Array.of(1));
    hash.update(lengthPrefixed(attributes[name]!));
  }
  return hash.digest('hex');
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

function describeCodePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
