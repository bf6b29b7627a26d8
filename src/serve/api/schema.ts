// Declarative request validation, as kinesalite's validations/: each action states its input members
// as data (type, required, ranges, patterns), and one checker turns a decoded request into checked
// values or the error each service gives. Kinesis reports "N validation errors detected: ..." as a
// ValidationException (and a member of the wrong type as a SerializationException); SQS reports the
// first problem as MissingParameter or InvalidParameterValue. Blobs become Buffers and timestamps epoch
// milliseconds, whatever the protocol sent (base64 text, CBOR bytes, epoch seconds, a CBOR date).
import { ApiError, apiErrors } from './api-error.js';

interface Common {
  required?: boolean;
}

export type Field =
  | (Common & { type: 'string'; minLength?: number; maxLength?: number; pattern?: RegExp; enum?: readonly string[] })
  | (Common & { type: 'integer'; min?: number; max?: number })
  | (Common & { type: 'boolean' })
  | (Common & { type: 'blob'; maxBytes?: number })
  | (Common & { type: 'timestamp' })
  | (Common & { type: 'list'; member: Field; minItems?: number; maxItems?: number })
  | (Common & { type: 'map'; value: Field; maxEntries?: number })
  | (Common & { type: 'structure'; fields: Schema });

export type Schema = Readonly<Record<string, Field>>;

export type Style = 'sqs' | 'kinesis';

export interface ValidateOptions {
  style: Style;
  // The query protocol sends every scalar as text: numbers and booleans are parsed from it.
  textScalars?: boolean;
}

class Problems {
  readonly constraint: string[] = [];
  serialization: string | null = null;
  missing: string | null = null;

  constructor(readonly options: ValidateOptions) {}
}

// The checked input, or throws the service's validation error.
export function validate(input: unknown, schema: Schema, options: ValidateOptions): Record<string, unknown> {
  if (input === null || input === undefined) input = {};
  const problems = new Problems(options);
  if (typeof input !== 'object' || Array.isArray(input)) throw apiErrors.serialization('The request body must be an object.');
  const value = checkStructure(input as Record<string, unknown>, schema, '', problems);
  if (problems.serialization) throw apiErrors.serialization(problems.serialization);
  if (options.style === 'sqs') {
    if (problems.missing) throw apiErrors.missingParameter(problems.missing);
    if (problems.constraint.length > 0) throw new ApiError('InvalidParameterValue', problems.constraint[0]!);
  } else if (problems.constraint.length > 0) {
    const n = problems.constraint.length;
    throw new ApiError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.constraint.join('; ')}`);
  }
  return value;
}

function checkStructure(input: Record<string, unknown>, schema: Schema, prefix: string, problems: Problems): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${memberName(name, problems)}` : memberName(name, problems);
    const raw = input[name];
    if (raw === undefined || raw === null) {
      if (field.required) missing(path, name, problems);
      continue;
    }
    const checked = checkField(raw, field, path, problems);
    if (checked !== undefined) out[name] = checked;
  }
  return out;
}

function checkField(raw: unknown, field: Field, path: string, problems: Problems): unknown {
  switch (field.type) {
    case 'string': {
      if (typeof raw !== 'string') return wrongType(path, 'a string', problems);
      if (field.minLength !== undefined && raw.length < field.minLength) {
        return constraint(problems, raw, path, `Member must have length greater than or equal to ${field.minLength}`);
      }
      if (field.maxLength !== undefined && raw.length > field.maxLength) {
        return constraint(problems, raw, path, `Member must have length less than or equal to ${field.maxLength}`);
      }
      if (field.pattern && !field.pattern.test(raw)) {
        return constraint(problems, raw, path, `Member must satisfy regular expression pattern: ${field.pattern.source}`);
      }
      if (field.enum && !field.enum.includes(raw)) {
        return constraint(problems, raw, path, `Member must satisfy enum value set: [${field.enum.join(', ')}]`);
      }
      return raw;
    }
    case 'integer': {
      const value = problems.options.textScalars && typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(path, 'an integer', problems);
      if (field.min !== undefined && value < field.min) return constraint(problems, value, path, `Member must have value greater than or equal to ${field.min}`);
      if (field.max !== undefined && value > field.max) return constraint(problems, value, path, `Member must have value less than or equal to ${field.max}`);
      return value;
    }
    case 'boolean': {
      const value = problems.options.textScalars && (raw === 'true' || raw === 'false') ? raw === 'true' : raw;
      if (typeof value !== 'boolean') return wrongType(path, 'a boolean', problems);
      return value;
    }
    case 'blob': {
      let bytes: Buffer;
      if (raw instanceof Uint8Array) bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      else if (typeof raw === 'string' && isBase64(raw)) bytes = Buffer.from(raw, 'base64');
      else return wrongType(path, 'base64-encoded binary data', problems);
      if (field.maxBytes !== undefined && bytes.length > field.maxBytes) {
        return constraint(problems, `java.nio.HeapByteBuffer[pos=0 lim=${bytes.length} cap=${bytes.length}]`, path, `Member must have length less than or equal to ${field.maxBytes}`);
      }
      return bytes;
    }
    case 'timestamp': {
      const ms = timestampMs(raw);
      if (ms === null) return wrongType(path, 'a timestamp', problems);
      return ms;
    }
    case 'list': {
      if (!Array.isArray(raw)) return wrongType(path, 'a list', problems);
      if (field.minItems !== undefined && raw.length < field.minItems) {
        return constraint(problems, `[${raw.length} items]`, path, `Member must have length greater than or equal to ${field.minItems}`);
      }
      if (field.maxItems !== undefined && raw.length > field.maxItems) {
        return constraint(problems, `[${raw.length} items]`, path, `Member must have length less than or equal to ${field.maxItems}`);
      }
      return raw.map((item, i) => checkField(item, field.member, `${path}.${i + 1}.member`, problems));
    }
    case 'map': {
      if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) return wrongType(path, 'a map', problems);
      const entries = Object.entries(raw as Record<string, unknown>);
      if (field.maxEntries !== undefined && entries.length > field.maxEntries) {
        return constraint(problems, `{${entries.length} entries}`, path, `Member must have length less than or equal to ${field.maxEntries}`);
      }
      return Object.fromEntries(entries.map(([key, value]) => [key, checkField(value, field.value, `${path}.${key}`, problems)]));
    }
    case 'structure': {
      if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) return wrongType(path, 'a structure', problems);
      return checkStructure(raw as Record<string, unknown>, field.fields, path, problems);
    }
  }
}

function memberName(name: string, problems: Problems): string {
  return problems.options.style === 'kinesis' ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}

function missing(path: string, name: string, problems: Problems): undefined {
  if (problems.options.style === 'sqs') problems.missing ??= name;
  else problems.constraint.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  return undefined;
}

function wrongType(path: string, expected: string, problems: Problems): undefined {
  if (problems.options.style === 'sqs') problems.constraint.push(`Value for parameter ${path} is invalid. Reason: it must be ${expected}.`);
  else problems.serialization ??= `The value of '${path}' must be ${expected}.`;
  return undefined;
}

function constraint(problems: Problems, value: unknown, path: string, rule: string): undefined {
  if (problems.options.style === 'sqs') {
    problems.constraint.push(`Value ${String(value)} for parameter ${path} is invalid. Reason: ${rule.replace(/^Member/, 'it')}.`);
  } else {
    problems.constraint.push(`Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`);
  }
  return undefined;
}

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

// Epoch milliseconds of a timestamp sent as epoch seconds (JSON), a Date (a CBOR tag 1 value, decoded by
// the CBOR reader), an ISO-8601 string or a numeric string (the query protocol).
function timestampMs(raw: unknown): number | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.getTime();
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.round(raw * 1000) : null;
  if (typeof raw === 'string') {
    if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
