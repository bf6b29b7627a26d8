// The MqError code a call fails with (undefined when it succeeds), for asserting on refusals.
import { MqError } from '../../src/core/errors.js';

export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof MqError) return error.code;
    throw error;
  }
}

export function codeOfSync(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof MqError) return error.code;
    throw error;
  }
}
