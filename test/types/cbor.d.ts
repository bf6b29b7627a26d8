// The parts of the `cbor` package (an independent CBOR implementation) the tests use.
declare module 'cbor' {
  export function encode(...values: unknown[]): Buffer;
  export function decodeFirstSync(input: Buffer, options?: { tags?: Record<number, (value: never) => unknown> }): any;
  export class Tagged {
    constructor(tag: number, value: unknown);
  }
  const cbor: { encode: typeof encode; decodeFirstSync: typeof decodeFirstSync; Tagged: typeof Tagged };
  export default cbor;
}
