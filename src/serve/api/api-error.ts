// An error as the AWS APIs report it: the error code clients match (`__type` in JSON and CBOR, `Code` in
// the query protocol's XML), the HTTP status, and for SQS the legacy query code that the JSON protocol
// repeats in the x-amzn-query-error header (so SDKs and botocore raise the same exception either way).
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly queryCode = code,
  ) {
    super(message);
  }

  // Whether the client caused it (SQS's SenderFault, and the x-amzn-query-error type).
  get senderFault(): boolean {
    return this.status < 500;
  }
}

// Shorthands for the errors raised by request parsing and validation, the same in both services.
export const apiErrors = {
  missingParameter: (name: string) => new ApiError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidParameter: (name: string, reason: string) =>
    new ApiError('InvalidParameterValue', `Value for parameter ${name} is invalid. Reason: ${reason}`),
  unknownOperation: (what: string) => new ApiError('UnknownOperationException', `Unknown operation ${what}.`, 400),
  serialization: (reason: string) => new ApiError('SerializationException', reason),
};
