// The CLI entry: parse argv, run the command, and turn the outcome into an exit status. Nothing here or
// below calls process.exit; bin/mq.js sets process.exitCode from the number returned.
import { CommanderError } from 'commander';
import { MqError } from '../core/errors.js';
import type { Backend } from '../core/backend.js';
import { openBackend } from '../backends.js';
import type { CliContext, BackendRequest } from './context.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import type { Io } from './io.js';
import { Output } from './output.js';
import { buildProgram, requestedTopic } from './program.js';
import { formatTopic } from './help/topics.js';

export interface MainOptions {
  openBackend?: (request: BackendRequest) => Backend;
}

export async function main(argv: string[], io: Io, options: MainOptions = {}): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const backends: Backend[] = [];
  const ctx: CliContext = {
    io,
    openBackend: (request) => {
      const backend = (options.openBackend ?? openBackend)(request);
      backends.push(backend);
      return backend;
    },
  };
  const topic = requestedTopic(argv);
  if (topic) {
    io.stdout.write(formatTopic(topic));
    return ExitCode.OK;
  }
  const program = await buildProgram(ctx, argv);
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.OK;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    exitCode = ctx.exitCode ?? ExitCode.OK;
  } catch (error) {
    exitCode = exitCodeFor(error);
    if (exitCode !== ExitCode.OK) {
      const out = new Output(io, argv.includes('--json'), () => ctx.store);
      if (error instanceof CommanderError || error instanceof MqError) {
        out.error(error);
      } else {
        const message = (error as Error)?.message ?? String(error);
        out.error(new MqError('INTERNAL', `internal error: ${message} (MQ_DEBUG=1 prints the stack)`));
        if (io.env.MQ_DEBUG) io.stderr.write(`${(error as Error)?.stack}\n`);
      }
    }
  } finally {
    for (const backend of backends) await backend.close();
  }
  return exitCode;
}
