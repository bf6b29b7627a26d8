// How `--help` (and the man page, made from the same text) describes an option: its description, then
// its choices and its default, the default once and in the units a user types (`15m`, not 900000).
// An option whose default depends on the queue or the run says so in its description instead.
import type { Option } from 'commander';
import { formatDuration, formatSize } from '../../core/units.js';

// A default value as the user would type it, judged by the option's value placeholder.
export function defaultInUserUnits(option: Option): string {
  const value: unknown = option.defaultValue;
  if (option.defaultValueDescription) return option.defaultValueDescription;
  if (typeof value === 'number' && /<duration>/.test(option.flags)) return formatDuration(value);
  if (typeof value === 'number' && /<size>/.test(option.flags)) return formatSize(value);
  return String(value);
}

export function optionDescription(option: Option): string {
  const extras: string[] = [];
  if (option.argChoices) extras.push(`choices: ${option.argChoices.join(', ')}`);
  // Booleans and --no-* flags have defaults for the program, not for the reader.
  if (option.defaultValue !== undefined && (option.required || option.optional)) extras.push(`default: ${defaultInUserUnits(option)}`);
  if (extras.length === 0) return option.description;
  // "(1..1000)" and "default: 1" make "(1..1000; default: 1)".
  const closing = /\)$/.test(option.description) ? option.description.slice(0, -1) + '; ' : `${option.description} (`;
  return `${closing}${extras.join('; ')})`;
}
