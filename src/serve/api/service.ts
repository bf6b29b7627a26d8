// What the dispatcher needs to know of one AWS service: how clients name it (the X-Amz-Target prefix),
// its actions, its JSON dialect and error style, and, for SQS, the query protocol's shapes.
import type { Action } from './action.js';
import type { Service } from './error-map.js';
import type { QueryShapes } from './protocols/query.js';

export interface ServiceApi {
  name: Service;
  targetPrefix: string;
  actions: Readonly<Record<string, Action>>;
  jsonContentType: string;
  // The namespace in front of JSON error types (SQS: com.amazonaws.sqs#QueueDoesNotExist).
  errorNamespace?: string;
  // SQS's JSON errors carry the query protocol's code in x-amzn-query-error.
  queryCompatible: boolean;
  query?: QueryShapes;
  // Kinesis: application/x-amz-cbor-1.1 too.
  cbor: boolean;
}
