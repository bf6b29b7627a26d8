// Message attributes between the SQS wire shape ({DataType, StringValue | BinaryValue}) and mq's
// (a plain string for String, {type, value} or {type, binary: base64} otherwise), and the
// MessageAttributeNames filter of ReceiveMessage (All, .*, "prefix.*" or exact names).
import type { MessageAttributeValue, MessageAttributes } from '../../core/message.js';
import { ApiError } from '../api/api-error.js';

export interface WireAttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

export function toMessageAttributes(wire: Record<string, WireAttributeValue> | undefined): MessageAttributes | undefined {
  if (!wire) return undefined;
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(wire)) {
    const type = value.DataType;
    if (!type) throw new ApiError('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty attribute type.`);
    if (value.BinaryValue !== undefined && value.StringValue !== undefined) {
      throw new ApiError('InvalidParameterValue', `The message attribute '${name}' must contain either a string value or a binary value, not both.`);
    }
    if (type.startsWith('Binary')) {
      if (value.BinaryValue === undefined) throw new ApiError('InvalidParameterValue', `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      out[name] = { type, binary: value.BinaryValue.toString('base64') };
    } else {
      if (value.StringValue === undefined) throw new ApiError('InvalidParameterValue', `The message attribute '${name}' with type '${type}' must use field 'String'.`);
      out[name] = type === 'String' ? value.StringValue : { type, value: value.StringValue };
    }
  }
  return out;
}

export function toWireAttributes(attributes: MessageAttributes): Record<string, WireAttributeValue> {
  const out: Record<string, WireAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) out[name] = wireValue(value);
  return out;
}

function wireValue(value: MessageAttributeValue): WireAttributeValue {
  if (typeof value === 'string') return { StringValue: value, DataType: 'String' };
  if ('binary' in value) return { BinaryValue: Buffer.from(value.binary, 'base64'), DataType: value.type };
  return { StringValue: value.value, DataType: value.type };
}

// The attributes whose names ReceiveMessage asked for.
export function selectAttributes(attributes: MessageAttributes, names: string[] | undefined): MessageAttributes {
  if (!names || names.length === 0) return {};
  if (names.includes('All') || names.includes('.*')) return attributes;
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (names.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  return out;
}
