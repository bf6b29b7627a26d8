// The access keys of mq serve and mq console, from the command line: the lines of --credentials-file,
// and --access-key with --secret-key; else MQ_ACCESS_KEY with MQ_SECRET_KEY (which keep the secret off the
// command line, where other users of the machine can read it). Undefined when none is given.
import { readSecretFile } from '../backends.js';
import { invalidArgument } from '../core/errors.js';
import type { AccessKeys } from '../http/access.js';
import { parseCredentials } from '../serve/auth/credentials.js';
import type { Io } from './io.js';

export interface AccessKeyFlags {
  accessKey?: string;
  secretKey?: string;
  credentialsFile?: string;
}

export function accessKeysFrom(flags: AccessKeyFlags, env: Io['env']): AccessKeys | undefined {
  const keys = flags.credentialsFile ? parseCredentials(readSecretFile(flags.credentialsFile), flags.credentialsFile) : new Map<string, string>();
  const fromFlags = flags.accessKey !== undefined || flags.secretKey !== undefined;
  const accessKey = fromFlags ? flags.accessKey : env.MQ_ACCESS_KEY || undefined;
  const secretKey = fromFlags ? flags.secretKey : env.MQ_SECRET_KEY || undefined;
  if (accessKey !== undefined || secretKey !== undefined) {
    if (!accessKey || !secretKey) {
      throw invalidArgument(fromFlags ? '--access-key and --secret-key go together' : 'MQ_ACCESS_KEY and MQ_SECRET_KEY go together');
    }
    keys.set(accessKey, secretKey);
  }
  return keys.size > 0 ? keys : undefined;
}
