// A create that conflicts with what exists, said in the flags the user typed and in the units they type
// them in: `queue "jobs" exists with different attributes: --visibility-timeout is 30s, not 60s`.
import { type AttributeConflict, existsWithOtherAttributes, isMqError } from '../../core/errors.js';

// How each attribute is given on the command line: its flag and how its values are written.
export type FlagTable = Record<string, readonly [flag: string, format: (value: never) => string]>;

export function describeAsFlag(table: FlagTable, { attribute, existing, requested }: AttributeConflict): string {
  const [flag, format] = (table[attribute] ?? [attribute, String]) as readonly [string, (value: unknown) => string];
  return `${flag} is ${format(existing)}, not ${format(requested)}`;
}

export async function conflictsAsFlags<T>(subject: string, run: () => Promise<T>, describe: (conflict: AttributeConflict) => string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isMqError(error, 'ALREADY_EXISTS') || !error.conflicts?.length) throw error;
    throw existsWithOtherAttributes(subject, [...error.conflicts], describe);
  }
}

export const onOff = (value: boolean): string => (value ? 'on' : 'off');
