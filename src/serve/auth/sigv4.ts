// AWS Signature Version 4, verified: the Authorization header form and the presigned query form
// (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature).
// The server recomputes the canonical request from what it received (method, path, sorted query, the
// signed headers, the payload's SHA-256), derives the signing key of the credential's date, region and
// service from the secret of the access key, and compares signatures in constant time. A request dated
// more than 15 minutes away from the server's clock, or a presigned one past its expiry, is refused.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Authenticator, SignedRequest } from '../api/dispatch.js';
import { AuthFailure } from './auth-failure.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_EXPIRES_S = 7 * 24 * 3600;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

interface SignatureParts {
  accessKey: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresS?: number;
}

export function sigV4Authenticator(secrets: ReadonlyMap<string, string>, now: () => number = Date.now): Authenticator {
  return {
    verify(request) {
      const parts = signatureParts(request);
      const secret = secrets.get(parts.accessKey);
      if (secret === undefined) throw new AuthFailure('unknown-key', 'The security token included in the request is invalid.');
      checkTime(parts, now());
      const expected = sign(secret, parts, canonicalRequest(request, parts));
      const given = Buffer.from(parts.signature, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AuthFailure('bad-signature', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
      }
      return { region: parts.region };
    },
  };
}

function signatureParts(request: SignedRequest): SignatureParts {
  const header = request.headers.authorization;
  const query = request.url.searchParams;
  const presigned = query.has('X-Amz-Algorithm');
  if (header && presigned) throw new AuthFailure('incomplete', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  if (!header && !presigned) throw new AuthFailure('missing', 'Missing Authentication Token');
  let algorithm: string | undefined;
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  let expiresS: number | undefined;
  if (header) {
    const space = header.indexOf(' ');
    algorithm = header.slice(0, space);
    const fields = new Map(header.slice(space + 1).split(',').map((field) => {
      const [key, ...value] = field.trim().split('=');
      return [key!, value.join('=')] as const;
    }));
    credential = fields.get('Credential');
    signedHeaders = fields.get('SignedHeaders');
    signature = fields.get('Signature');
    amzDate = headerValue(request, 'x-amz-date');
  } else {
    algorithm = query.get('X-Amz-Algorithm') ?? undefined;
    credential = query.get('X-Amz-Credential') ?? undefined;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? undefined;
    signature = query.get('X-Amz-Signature') ?? undefined;
    amzDate = query.get('X-Amz-Date') ?? undefined;
    const expires = query.get('X-Amz-Expires');
    expiresS = expires !== null && /^\d+$/.test(expires) ? Number(expires) : undefined;
    if (expiresS === undefined || expiresS > MAX_PRESIGN_EXPIRES_S) {
      throw new AuthFailure('incomplete', `X-Amz-Expires must be a whole number of seconds up to ${MAX_PRESIGN_EXPIRES_S}.`);
    }
  }
  if (algorithm !== ALGORITHM) throw new AuthFailure('incomplete', `Unsupported signing algorithm ${JSON.stringify(algorithm ?? '')}: use ${ALGORITHM}.`);
  const scope = credential?.split('/') ?? [];
  if (!credential || scope.length !== 5 || scope[4] !== 'aws4_request' || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature) || !amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new AuthFailure('incomplete', `The request signature is incomplete: it needs a Credential (KEY/DATE/REGION/SERVICE/aws4_request), SignedHeaders, Signature and X-Amz-Date.`);
  }
  const [accessKey, date, region, service] = scope as [string, string, string, string];
  if (!amzDate.startsWith(date)) throw new AuthFailure('bad-signature', `The credential date ${date} does not match X-Amz-Date ${amzDate}.`);
  return {
    accessKey, date, region, service, signature, amzDate, presigned,
    signedHeaders: signedHeaders.split(';'),
    ...(expiresS !== undefined ? { expiresS } : {}),
  };
}

function checkTime(parts: SignatureParts, nowMs: number): void {
  const d = parts.amzDate;
  const signedAt = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15));
  if (parts.presigned) {
    if (signedAt - nowMs > MAX_SKEW_MS) throw new AuthFailure('expired', `Signature not yet current: ${d} is still later than ${amzTime(nowMs + MAX_SKEW_MS)}.`);
    if (nowMs > signedAt + parts.expiresS! * 1000) throw new AuthFailure('expired', `Signature expired: ${amzTime(signedAt + parts.expiresS! * 1000)} is now earlier than ${amzTime(nowMs)}.`);
  } else if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    throw new AuthFailure('expired', `Signature expired: ${d} is now earlier than ${amzTime(nowMs - MAX_SKEW_MS)} (${amzTime(nowMs)} - 15 min.)`);
  }
}

function amzTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function canonicalRequest(request: SignedRequest, parts: SignatureParts): string {
  const headers = parts.signedHeaders.map((name) => {
    const value = name === 'host' ? headerValue(request, 'host') ?? headerValue(request, ':authority') : headerValue(request, name);
    if (value === undefined) throw new AuthFailure('bad-signature', `The signed header ${name} is missing from the request.`);
    return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  });
  const query = [...request.url.searchParams]
    .filter(([key]) => !(parts.presigned && key === 'X-Amz-Signature'))
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return [request.method, canonicalPath(request.url.pathname), query, headers.join(''), parts.signedHeaders.join(';'), payloadHash(request)].join('\n');
}

// The SDKs sign the path as they send it, URI-encoded once more (every service but S3).
function canonicalPath(path: string): string {
  return path.split('/').map((segment) => uriEncode(segment)).join('/') || '/';
}

function payloadHash(request: SignedRequest): string {
  const declared = headerValue(request, 'x-amz-content-sha256');
  const actual = createHash('sha256').update(request.body).digest('hex');
  if (declared === undefined || declared === UNSIGNED_PAYLOAD) return declared ?? actual;
  if (declared !== actual) throw new AuthFailure('bad-signature', 'The provided x-amz-content-sha256 header does not match what was computed.');
  return declared;
}

function sign(secret: string, parts: SignatureParts, canonical: string): Buffer {
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${parts.amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(parts.date).digest();
  for (const part of [parts.region, parts.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest();
}

function headerValue(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

// RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper-case hex).
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
