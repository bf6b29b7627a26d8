// The entry of `mq serve`'s code, loaded only by that command.
export { startServer, DEFAULT_MAX_BODY_BYTES, type RunningServer, type ServeOptions } from './server.js';
export type { AccessLogEntry } from './api/dispatch.js';
export { sigV4Authenticator } from './auth/sigv4.js';
export { parseCredentials } from './auth/credentials.js';
export { checkListenAccess } from '../http/access.js';
