// Reads a file that holds secrets (the access keys of `mq serve`): refused when other users may read it,
// as ssh refuses a private key that is not private.
import fs from 'node:fs';
import { MqError } from '../core/errors.js';
import { ioError } from './fs-util.js';

export function readSecretFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw ioError(error, 'read', file);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new MqError('STORE_REFUSED', `${file} may be read by other users (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 it`);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw ioError(error, 'read', file);
  }
}
