// commander value parsers for the units mq takes; a bad value becomes a usage error naming the option.
import { InvalidArgumentError } from 'commander';
import { isMqError } from '../../core/errors.js';
import { parseDuration, parseInteger, parseSize } from '../../core/units.js';

function asCommanderError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isMqError(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export const durationOption = (value: string): number => asCommanderError(() => parseDuration(value));
export const sizeOption = (value: string): number => asCommanderError(() => parseSize(value));
export const countOption = (min: number, max?: number) => (value: string): number =>
  asCommanderError(() => parseInteger(value, 'count', min, max));

// Collects repeated KEY=VALUE options into a map.
export function keyValueOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got ${JSON.stringify(value)}`);
  const key = value.slice(0, eq);
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`attribute ${JSON.stringify(key)} given twice`);
  return { ...previous, [key]: value.slice(eq + 1) };
}
