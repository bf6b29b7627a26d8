// What a command's action gets: the process I/O, the parsed global options, and the backend, opened
// lazily on the store the options name (so `mq --help` touches no file).
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { OpenBackendOptions } from '../backends.js';
import type { Backend } from '../core/backend.js';
import { type Durability, checkDurability } from '../core/durability.js';
import type { Io } from './io.js';
import { Output } from './output.js';

// What a command asks the backend factory for: a store directory today (backends.ts takes a URL too).
export type BackendRequest = OpenBackendOptions;

export interface CliContext {
  io: Io;
  openBackend(request: BackendRequest): Backend;
  // A command that finished its work but must still report failure (some receipts were stale, some
  // input lines were invalid) sets the exit status here; the first one set wins.
  exitCode?: number;
}

export function failWith(ctx: CliContext, exitCode: number): void {
  ctx.exitCode ??= exitCode;
}

export interface Session {
  io: Io;
  out: Output;
  backend: Backend;
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
  return new Output(ctx.io, Boolean(command.optsWithGlobals().json));
}

export function sessionFor(ctx: CliContext, command: Command): Session {
  const globals = command.optsWithGlobals() as { home?: string };
  const out = outputFor(ctx, command);
  let backend: Backend | undefined;
  return {
    io: ctx.io,
    out,
    get backend() {
      if (!backend) {
        const durability = durabilityFromEnv(ctx.io.env);
        backend = ctx.openBackend({
          home: resolveHome(globals.home, ctx.io.env),
          ...(durability ? { durability } : {}),
          ...(ctx.io.env.MQ_ALLOW_NETWORK_FS === '1' ? { allowNetworkFileSystem: true } : {}),
        });
      }
      return backend;
    },
  };
}
