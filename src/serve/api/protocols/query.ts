// The AWS query protocol (SQS's older wire format, still spoken by the AWS CLI v2 of Debian 12 and older
// SDKs): the request is form fields (`Action=SendMessage&QueueUrl=...&MessageAttribute.1.Name=...`) and
// the response XML. Lists and maps are flattened into numbered fields; `ShapeNames` says, per service,
// which flattened field names become which JSON members, so actions see the same input as from the JSON
// protocol and return the same output for both.
import type { ApiError } from '../api-error.js';

// A flattened list (`AttributeName.1=All`) or map (`Attribute.1.Name=K&Attribute.1.Value=V`), by its
// field name: the JSON member it becomes, and for a map the names of its key and value fields.
export type Flattened = { member: string; kind: 'list' } | { member: string; kind: 'map'; key: string; value: string };

export interface QueryShapes {
  input: Readonly<Record<string, Flattened>>;
  // Output members that are lists or maps, by JSON member name: the element name of each item (a map
  // also names its key and value elements). `*ResultEntry` names take the action's name in front.
  output: Readonly<Record<string, Flattened>>;
  xmlNamespace: string;
}

// The form fields of a query request as a tree: `A.1.B=x` becomes {A: {1: {B: 'x'}}}.
export function parseQueryFields(fields: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = node[part];
      if (next === null || typeof next !== 'object') node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

// The tree of a query request renamed into the JSON protocol's input shape.
export function queryInput(tree: Record<string, unknown>, shapes: QueryShapes, rename: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(tree)) {
    const flattened = shapes.input[field];
    if (!flattened) {
      out[field] = isTree(value) ? queryInput(value, shapes) : value;
      continue;
    }
    const items = numbered(value).map((item) => (isTree(item) ? queryInput(item, shapes) : item));
    const member = rename[flattened.member] ?? flattened.member;
    if (flattened.kind === 'list') out[member] = items;
    else {
      const map: Record<string, unknown> = {};
      for (const item of items) {
        if (!isTree(item)) continue;
        const key = item[flattened.key];
        if (typeof key === 'string') map[key] = item[flattened.value];
      }
      out[member] = map;
    }
  }
  return out;
}

// The items of a numbered field in index order (`X.1`, `X.2`, ...); a single unnumbered value is a list of one.
function numbered(value: unknown): unknown[] {
  if (!isTree(value)) return [value];
  return Object.keys(value)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => value[key]);
}

function isTree(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !Array.isArray(value);
}

// A successful response: <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...</...>. An
// action with an output has its Result element even when empty (an empty ReceiveMessage is
// <ReceiveMessageResult/> on SQS): botocore, the AWS CLI's parser, fails without it.
export function queryResponse(action: string, output: object | void, requestId: string, shapes: QueryShapes): Buffer {
  const result = output ? `<${action}Result>${xmlMembers(output as Record<string, unknown>, action, shapes)}</${action}Result>` : '';
  return Buffer.from(
    `<?xml version="1.0"?><${action}Response xmlns="${shapes.xmlNamespace}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    'utf8',
  );
}

export function queryErrorResponse(error: ApiError, requestId: string, shapes: QueryShapes): Buffer {
  return Buffer.from(
    `<?xml version="1.0"?><ErrorResponse xmlns="${shapes.xmlNamespace}"><Error><Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>` +
      `<Code>${escapeXml(error.queryCode)}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    'utf8',
  );
}

function xmlMembers(members: Record<string, unknown>, action: string, shapes: QueryShapes): string {
  let xml = '';
  for (const [name, value] of Object.entries(members)) {
    if (value === undefined || value === null) continue;
    const flattened = shapes.output[name];
    if (!flattened) {
      xml += element(name, value, action, shapes);
    } else if (flattened.kind === 'list') {
      const item = flattened.member.startsWith('*') ? `${action}${flattened.member.slice(1)}` : flattened.member;
      for (const entry of value as unknown[]) xml += element(item, entry, action, shapes);
    } else {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        xml += `<${flattened.member}><${flattened.key}>${escapeXml(key)}</${flattened.key}>${element(flattened.value, entry, action, shapes)}</${flattened.member}>`;
      }
    }
  }
  return xml;
}

function element(name: string, value: unknown, action: string, shapes: QueryShapes): string {
  return `<${name}>${xmlValue(value, action, shapes)}</${name}>`;
}

function xmlValue(value: unknown, action: string, shapes: QueryShapes): string {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return xmlMembers(value as Record<string, unknown>, action, shapes);
  return escapeXml(String(value));
}

// Text escaped for XML; a carriage return is written as a reference so that XML parsers keep it.
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };
