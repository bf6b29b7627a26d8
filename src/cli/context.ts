// What a command's action gets: the process I/O, the parsed global options, and the backend, opened
// lazily on the store the options name (so `mq --help` touches no file).
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { OpenBackendOptions } from '../backends.js';
import type { Backend } from '../core/backend.js';
import { redactUrl } from '../core/backend-url.js';
import { type Durability, checkDurability } from '../core/durability.js';
import { invalidArgument } from '../core/errors.js';
import type { Io } from './io.js';
import { Output } from './output.js';

// What a command asks the backend factory for: a store directory, or an engine's URL.
export type BackendRequest = OpenBackendOptions;

export interface CliContext {
  io: Io;
  openBackend(request: BackendRequest): Backend;
  // A command that finished its work but must still report failure (some receipts were stale, some
  // input lines were invalid) sets the exit status here; the first one set wins.
  exitCode?: number;
  // The store the command opened, as its errors name it (a directory; a server's address would be
  // given without credentials). Unset until a command opens one.
  store?: string;
}

export function failWith(ctx: CliContext, exitCode: number): void {
  ctx.exitCode ??= exitCode;
}

export interface Session {
  io: Io;
  out: Output;
  backend: Backend;
  // The store in use, as people see it (a directory, or a URL without credentials).
  store: StoreChoice;
}

// The store the options name: --url, else $MQ_URL, else --home/$MQ_HOME (its default); with the
// environment a handler run by `mq work` or `mq consume` needs to reach the same store.
export interface StoreChoice {
  request: BackendRequest;
  display: string;
  env: Record<string, string>;
}

export interface GlobalOptions {
  home?: string;
  url?: string;
}

export function chooseStore(globals: GlobalOptions, env: Io['env'], extra: { timeoutMs?: number } = {}): StoreChoice {
  if (globals.url !== undefined && globals.home !== undefined) throw invalidArgument('--url and --home name two stores: give one');
  const durability = durabilityFromEnv(env);
  const url = globals.url ?? (env.MQ_URL || undefined);
  if (url !== undefined) {
    const namespace = env.MQ_NAMESPACE || undefined;
    return {
      request: {
        url,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(durability ? { durability } : {}),
        ...(extra.timeoutMs !== undefined ? { timeoutMs: extra.timeoutMs } : {}),
      },
      display: redactUrl(url),
      env: { MQ_URL: url, ...(namespace !== undefined ? { MQ_NAMESPACE: namespace } : {}) },
    };
  }
  const home = resolveHome(globals.home, env);
  return {
    request: {
      home,
      ...(durability ? { durability } : {}),
      ...(env.MQ_ALLOW_NETWORK_FS === '1' ? { allowNetworkFileSystem: true } : {}),
    },
    display: home,
    env: { MQ_HOME: home },
  };
}

// The store root: --home, else $MQ_HOME, else $XDG_DATA_HOME/mq, else ~/.local/share/mq.
export function resolveHome(flag: string | undefined, env: Io['env']): string {
  if (flag) return path.resolve(flag);
  if (env.MQ_HOME) return path.resolve(env.MQ_HOME);
  if (env.XDG_DATA_HOME) return path.join(env.XDG_DATA_HOME, 'mq');
  return path.join(env.HOME ?? os.homedir(), '.local', 'share', 'mq');
}

function durabilityFromEnv(env: Io['env']): Durability | undefined {
  const value = env.MQ_DURABILITY;
  return value === undefined || value === '' ? undefined : checkDurability(value, 'MQ_DURABILITY');
}

export function outputFor(ctx: CliContext, command: Command): Output {
  return new Output(ctx.io, Boolean(command.optsWithGlobals().json), () => ctx.store);
}

export function sessionFor(ctx: CliContext, command: Command, extra: { timeoutMs?: number } = {}): Session {
  const globals = command.optsWithGlobals() as GlobalOptions;
  const out = outputFor(ctx, command);
  let backend: Backend | undefined;
  let store: StoreChoice | undefined;
  const chosen = () => (store ??= chooseStore(globals, ctx.io.env, extra));
  return {
    io: ctx.io,
    out,
    get store() {
      return chosen();
    },
    get backend() {
      if (!backend) {
        const choice = chosen();
        ctx.store = choice.display;
        backend = ctx.openBackend(choice.request);
      }
      return backend;
    },
  };
}
