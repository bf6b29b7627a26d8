// What an API action is: its input members as data (checked by schema.ts before it runs), and a function
// of the checked input that returns the output members. Actions know nothing of HTTP or of the wire
// protocol: blobs are Buffers, timestamps Dates, and the protocol encoders take it from there.
import type { Backend } from '../../core/backend.js';
import type { ErrorOverrides } from './error-map.js';
import type { Field, Schema } from './schema.js';

export interface ActionContext {
  backend: Backend;
  // The endpoint the client used (http://host:port), for queue URLs.
  endpoint: string;
  // The region of the request's signature, else us-east-1 (for ARNs).
  region: string;
  // Aborted when the server shuts down: long polls return what they have.
  signal: AbortSignal;
  // State kept by the server across requests (SQS message move tasks).
  state: Map<string, unknown>;
}

export interface Action {
  input: Schema;
  run(ctx: ActionContext, input: never): Promise<object | void>;
  // How this action answers some engine errors, where it differs from the service's table.
  errors?: ErrorOverrides;
}

type FieldValue<F> = F extends { type: 'string' }
  ? string
  : F extends { type: 'integer' }
    ? number
    : F extends { type: 'boolean' }
      ? boolean
      : F extends { type: 'blob' }
        ? Buffer
        : F extends { type: 'timestamp' }
          ? number
          : F extends { type: 'list'; member: infer M }
            ? FieldValue<M>[]
            : F extends { type: 'map'; value: infer V }
              ? Record<string, FieldValue<V>>
              : F extends { type: 'structure'; fields: infer S }
                ? Input<S>
                : never;

// The checked input of a schema: required members present, optional ones possibly absent.
export type Input<S> = { [K in keyof S as S[K] extends { required: true } ? K : never]: FieldValue<S[K]> } & {
  [K in keyof S as S[K] extends { required: true } ? never : K]?: FieldValue<S[K]>;
};

// Declares an action with its input typed from its schema.
export function action<const S extends Record<string, Field>>(
  input: S,
  run: (ctx: ActionContext, input: Input<S>) => Promise<object | void>,
  errors?: ErrorOverrides,
): Action {
  return { input, run: run as Action['run'], ...(errors ? { errors } : {}) };
}
