// The body of a form POST (application/x-www-form-urlencoded), read whole up to a limit.
import { MqError } from '../core/errors.js';
import { type Request, headerOf } from './http-types.js';

// A message body of 1 MiB, percent-encoded, with room for the other fields.
export const MAX_FORM_BYTES = 4 * 1024 * 1024;

export async function readForm(req: Request, limit = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (headerOf(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new MqError('INVALID_ARGUMENT', `expected a form (application/x-www-form-urlencoded), got ${JSON.stringify(type)}`);
  }
  const declared = Number(headerOf(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new MqError('INVALID_ARGUMENT', `the form is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new MqError('INVALID_ARGUMENT', `the form is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
