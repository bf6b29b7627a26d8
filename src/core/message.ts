// Checks and checksums of one message, as SQS defines them: allowed characters, attribute rules, the
// size accounting (body plus every attribute name, type and value) and the MD5 digests SendMessage returns.
import { MqError } from './errors.js';
import { hashHex, nodeCrypto } from './lazy-crypto.js';
import { MAX_MESSAGE_ATTRIBUTES } from './queue-attributes.js';

// A message attribute: a plain string is SQS's DataType "String"; any other DataType (Number, Binary, or
// a type with a custom label such as "String.id") is an object, Binary with its bytes in base64.
export type MessageAttributeValue = string | TypedAttributeValue;
export type TypedAttributeValue = { type: string; value: string } | { type: string; binary: string };
export type MessageAttributes = Record<string, MessageAttributeValue>;

// Characters SQS accepts in a body or attribute value (XML 1.0 characters); with the u flag a lone
// surrogate is one code point and so is rejected too.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const STRING_TYPE = 'String';
// SQS data types: String, Number or Binary, optionally with a custom label ("Number.float").
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;
const MAX_DATA_TYPE_LENGTH = 256;
// SQS numbers: up to 38 significant digits, between -10^126 and 10^126 (and as close to 0 as 10^-128).
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function attributeType(value: MessageAttributeValue): string {
  return typeof value === 'string' ? STRING_TYPE : value.type;
}

// The bytes SQS counts and digests for a value: UTF-8 text, or a Binary value's bytes.
function valueBytes(value: MessageAttributeValue): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return 'binary' in value ? Buffer.from(value.binary, 'base64') : Buffer.from(value.value, 'utf8');
}

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
    const problem = attributeValueProblem(attributes[name]!);
    if (problem) throw new MqError('INVALID_MESSAGE', `attribute ${JSON.stringify(name)} ${problem}`);
  }
}

function attributeValueProblem(value: MessageAttributeValue): string | null {
  if (typeof value !== 'string' && (value === null || typeof value !== 'object' || typeof value.type !== 'string')) return 'has an invalid value';
  const type = attributeType(value);
  if (type.length > MAX_DATA_TYPE_LENGTH || !DATA_TYPE.test(type)) {
    return `has an invalid data type ${JSON.stringify(type.slice(0, 40))}: use String, Number or Binary, optionally followed by .label`;
  }
  const binary = type.startsWith('Binary');
  if (typeof value !== 'string' && binary !== 'binary' in value) return binary ? 'of type Binary needs a binary value' : `of type ${type} needs a text value`;
  if (typeof value !== 'string' && 'binary' in value) {
    if (typeof value.binary !== 'string' || !BASE64.test(value.binary)) return 'has a binary value that is not base64';
    if (value.binary.length === 0) return 'has an empty value';
    return null;
  }
  const text = typeof value === 'string' ? value : value.value;
  if (typeof text !== 'string') return 'has an invalid value';
  if (text.length === 0) return 'has an empty value';
  const bad = INVALID_CHARACTER.exec(text);
  if (bad) return `contains an invalid character ${describeCodePoint(bad[0])}`;
  if (type.startsWith('Number') && !isSqsNumber(text)) return `has a value that is not a number: ${JSON.stringify(text.slice(0, 40))}`;
  return null;
}

function isSqsNumber(text: string): boolean {
  if (!NUMBER.test(text)) return false;
  const digits = text.replace(/[eE].*$/, '').replace(/[^0-9]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 38) return false;
  const magnitude = Math.abs(Number(text));
  return magnitude === 0 || (magnitude >= 1e-128 && magnitude <= 1e126);
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
    size += Buffer.byteLength(name) + Buffer.byteLength(attributeType(value)) + valueBytes(value).length;
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
// transport byte (1 for String and Number, 2 for Binary) and length-prefixed value bytes, all digested together.
export function md5OfAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = nodeCrypto().createHash('md5');
  for (const name of names) {
    const value = attributes[name]!;
    const type = attributeType(value);
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(type, 'utf8')));
    hash.update(Uint8Array.of(type.startsWith('Binary') ? 2 : 1));
    hash.update(lengthPrefixed(valueBytes(value)));
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

function describeCodePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
