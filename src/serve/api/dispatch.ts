// The AWS API endpoint: reads a request (bounded), tells its service, action and protocol apart
// (X-Amz-Target with JSON or CBOR, or a query-protocol form with an Action field), checks its signature
// when the server requires one, validates the input against the action's schema, runs the action and
// writes the answer, or the error, in the request's protocol. Every request ends in one access-log entry.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type http2 from 'node:http2';
import type { Backend } from '../../core/backend.js';
import { hostHeaderAllowed, hostOfHeader, isLoopbackHost } from '../../http/access.js';
import { BodyTooLarge, readBody } from '../http/body.js';
import type { ActionContext } from './action.js';
import { ApiError } from './api-error.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { toApiError } from './error-map.js';
import { decodeJson, encodeJson, jsonErrorBody } from './protocols/json.js';
import { parseQueryFields, queryErrorResponse, queryInput, queryResponse } from './protocols/query.js';
import { validate } from './schema.js';
import type { ServiceApi } from './service.js';

export type Protocol = 'json' | 'cbor' | 'query';

export interface AccessLogEntry {
  time: string;
  remote: string;
  http: string;
  service: string;
  action: string;
  protocol: Protocol | '-';
  status: number;
  ms: number;
  bytesIn: number;
  bytesOut: number;
  error?: string;
}

export interface Authenticator {
  // Throws an ApiError unless the request is signed with a known key; returns the signature's region.
  verify(request: SignedRequest): { region: string };
}

export interface SignedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ApiOptions {
  backend: Backend;
  services: ServiceApi[];
  authenticator: Authenticator | null;
  // The address the server listens on (without an authenticator: loopback).
  listenHost: string;
  maxBodyBytes: number;
  signal: AbortSignal;
  log?: (entry: AccessLogEntry) => void;
}

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

const CBOR_TYPE = 'application/x-amz-cbor-1.1';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const XML_TYPE = 'text/xml';

interface Call {
  service: ServiceApi;
  actionName: string;
  protocol: Protocol;
  rawInput: () => unknown;
}

export function createApiHandler(options: ApiOptions): (req: Request, res: Response) => Promise<void> {
  const state = new Map<string, unknown>();
  const byPrefix = new Map(options.services.map((service) => [service.targetPrefix, service]));
  const queryService = options.services.find((service) => service.query);

  return async (req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let call: Call | null = null;
    let body: Buffer = Buffer.alloc(0);
    let reply: { status: number; type: string; body: Buffer; headers?: Record<string, string> };
    let failure: ApiError | null = null;
    try {
      body = await readBody(req, options.maxBodyBytes);
      call = classify(req, url, body, byPrefix, queryService);
      if (!options.authenticator) refuseBrowsers(req, options.listenHost);
      const region = options.authenticator
        ? options.authenticator.verify({ method: req.method ?? 'POST', url, headers: req.headers as http.IncomingHttpHeaders, body }).region
        : regionOf(req.headers.authorization ?? url.searchParams.get('X-Amz-Credential') ?? undefined);
      const action = call.service.actions[call.actionName];
      if (!action) throw unknownAction(call);
      const input = validate(call.rawInput(), action.input, { style: call.service.name, textScalars: call.protocol === 'query' });
      const ctx: ActionContext = { backend: options.backend, endpoint: endpointOf(req), region, signal: options.signal, state };
      let output: object | void;
      try {
        output = await action.run(ctx, input as never);
      } catch (error) {
        throw toApiError(call.service.name, error, action.errors);
      }
      reply = success(call, output, requestId);
    } catch (error) {
      failure = error instanceof BodyTooLarge
        ? new ApiError('RequestEntityTooLarge', error.message, 413)
        : toApiError(call?.service.name ?? 'sqs', error);
      reply = errorReply(call, failure, requestId);
    }
    const headers: Record<string, string | number> = {
      'content-type': reply.type,
      'content-length': reply.body.length,
      'x-amzn-requestid': requestId,
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    options.log?.({
      time: new Date().toISOString(),
      remote: req.socket?.remoteAddress ?? '-',
      http: req.httpVersion,
      service: call?.service.name ?? '-',
      action: call?.actionName ?? '-',
      protocol: call?.protocol ?? '-',
      status: reply.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      bytesIn: body.length,
      bytesOut: reply.body.length,
      ...(failure ? { error: failure.code } : {}),
    });
  };
}

function classify(req: Request, url: URL, body: Buffer, byPrefix: Map<string, ServiceApi>, queryService: ServiceApi | undefined): Call {
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') {
    const dot = target.lastIndexOf('.');
    const service = byPrefix.get(target.slice(0, dot));
    if (!service || dot < 0) throw new ApiError('UnknownOperationException', `Unknown target ${JSON.stringify(target)}.`);
    const protocol: Protocol = contentType === CBOR_TYPE && service.cbor ? 'cbor' : 'json';
    return {
      service,
      actionName: target.slice(dot + 1),
      protocol,
      rawInput: () => (protocol === 'cbor' ? decodeCborBody(body) : decodeJson(body)),
    };
  }
  const fields = new URLSearchParams(url.search);
  if (contentType === FORM_TYPE || contentType === '') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields.append(key, value);
  }
  const actionName = fields.get('Action');
  if (!queryService?.query || !actionName) {
    throw new ApiError('MissingAction', 'The request must name an action: an X-Amz-Target header or an Action parameter.');
  }
  return {
    service: queryService,
    actionName,
    protocol: 'query',
    rawInput: () => {
      const tree = parseQueryFields(fields);
      for (const key of ['Action', 'Version', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']) delete tree[key];
      return queryInput(tree, queryService.query!, actionName === 'CreateQueue' ? { Tags: 'tags' } : {});
    },
  };
}

// Without signatures, a server on loopback trusts whatever reaches it from this machine; a web page in a
// browser is not that. Refused: a request addressed to a name that is not loopback (a page whose domain
// was pointed at 127.0.0.1, DNS rebinding) and one from a page of another origin (a cross-site form post
// of the query protocol). SDKs, the AWS CLI and curl send neither.
function refuseBrowsers(req: Request, listenHost: string): void {
  const host = (req.headers[':authority'] as string | undefined) ?? req.headers.host;
  const origin = req.headers.origin;
  let originLoopback = true;
  if (origin !== undefined) {
    try {
      originLoopback = isLoopbackHost(hostOfHeader(new URL(origin).host));
    } catch {
      originLoopback = false;
    }
  }
  if (!hostHeaderAllowed(listenHost, host) || !originLoopback) {
    throw new ApiError('AccessDenied', 'Requests from web pages of other origins, or addressed to a name that is not loopback, are refused by a server without credentials.', 403);
  }
}

function decodeCborBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return decodeCbor(body);
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid CBOR.');
  }
}

function unknownAction(call: Call): ApiError {
  if (call.protocol === 'query') return new ApiError('InvalidAction', `The action ${call.actionName} is not valid for this endpoint.`);
  return new ApiError('UnknownOperationException', `Unknown operation ${call.actionName}.`);
}

function success(call: Call, output: object | void, requestId: string) {
  switch (call.protocol) {
    case 'query':
      return { status: 200, type: XML_TYPE, body: queryResponse(call.actionName, output, requestId, call.service.query!) };
    case 'cbor':
      return { status: 200, type: CBOR_TYPE, body: encodeCbor(output ?? {}) };
    case 'json':
      return { status: 200, type: call.service.jsonContentType, body: encodeJson(output) };
  }
}

function errorReply(call: Call | null, error: ApiError, requestId: string) {
  if (!call || call.protocol === 'query') {
    const service = call?.service;
    if (service?.query) return { status: error.status, type: XML_TYPE, body: queryErrorResponse(error, requestId, service.query) };
  }
  if (call?.protocol === 'cbor') {
    return { status: error.status, type: CBOR_TYPE, body: encodeCbor({ __type: error.code, message: error.message }) };
  }
  const service = call?.service;
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (service?.queryCompatible) headers['x-amzn-query-error'] = `${error.queryCode};${error.senderFault ? 'Sender' : 'Receiver'}`;
  return {
    status: error.status,
    type: service?.jsonContentType ?? 'application/x-amz-json-1.0',
    body: jsonErrorBody(error, service?.errorNamespace),
    headers,
  };
}

// The endpoint a client used, from its Host header (HTTP/2: :authority), for URLs in responses.
function endpointOf(req: Request): string {
  const host = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? 'localhost';
  return `http://${host}`;
}

// The region named in a SigV4 credential scope (AKID/20260101/us-east-1/sqs/aws4_request), else us-east-1.
export function regionOf(authorization: string | undefined): string {
  const match = authorization ? /(?:Credential=)?[^/\s,]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(authorization) : null;
  return match ? match[1]! : 'us-east-1';
}
