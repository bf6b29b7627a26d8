// Access keys for signature checks: given as --access-key/--secret-key, or as lines of a file
// ("ACCESS_KEY_ID SECRET_ACCESS_KEY" or "ACCESS_KEY_ID:SECRET_ACCESS_KEY"; # comments and blank lines).
import { invalidArgument } from '../../core/errors.js';

export function parseCredentials(text: string, source: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9_+=,.@-]{1,128})(?:\s+|:)(\S{1,256})$/.exec(line);
    if (!match) throw invalidArgument(`${source} line ${index + 1}: expected ACCESS_KEY_ID SECRET_ACCESS_KEY`);
    keys.set(match[1]!, match[2]!);
  }
  if (keys.size === 0) throw invalidArgument(`${source} holds no access key`);
  return keys;
}
