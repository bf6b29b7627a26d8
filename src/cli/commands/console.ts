// mq console: the web console (and /metrics) over the store, on one HTTP address, until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { accessLogLine, startConsoleServer } from '../../console/console-server.js';
import { invalidArgument } from '../../core/errors.js';
import { type AccessKeys, checkListenAccess } from '../../http/access.js';
import { type CliContext, resolveHome, sessionFor } from '../context.js';
import { countOption } from '../options.js';

export const CONSOLE_DEFAULT_PORT = 9325;

interface ConsoleFlags {
  host: string;
  port: number;
  readOnly?: boolean;
  accessKey?: string;
  secretKey?: string;
  log?: boolean;
}

// The credentials from the flags, else from MQ_ACCESS_KEY and MQ_SECRET_KEY (which keep the secret off
// the command line, where other users of the machine can read it); both or neither.
export function credentialsFrom(flags: ConsoleFlags, env: Record<string, string | undefined>): AccessKeys | undefined {
  const accessKeyId = flags.accessKey ?? env.MQ_ACCESS_KEY;
  const secretAccessKey = flags.secretKey ?? env.MQ_SECRET_KEY;
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw invalidArgument('give both an access key and a secret key (--access-key and --secret-key, or MQ_ACCESS_KEY and MQ_SECRET_KEY)');
  return new Map([[accessKeyId, secretAccessKey]]);
}

export function registerConsole(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .summary('web console and Prometheus /metrics over the store, until stopped')
    .description('Serve the web console (queues and streams with live counts, peek, send, purge, redrive, shard maps, consumer lag, live tails) and /metrics (Prometheus text format) over HTTP. It opens nothing by itself: point a browser at the address it prints on stdout. On a loopback address it needs no credentials (any user of this machine can use it); on any other address it needs --access-key and --secret-key (or MQ_ACCESS_KEY and MQ_SECRET_KEY), asked for by a sign-in form or HTTP Basic authentication. --read-only refuses every change. Ctrl-C or SIGTERM stops it (exit 0).')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', `port to listen on (0: any free port)`, countOption(0, 65_535), CONSOLE_DEFAULT_PORT)
    .option('--read-only', 'refuse every change (send, purge, redrive)')
    .option('--access-key <key>', 'access key that signs in (default: $MQ_ACCESS_KEY)')
    .option('--secret-key <secret>', 'secret key that signs in (default: $MQ_SECRET_KEY)')
    .option('--log', 'one access log line per request on stderr (--json: NDJSON)')
    .addHelpText('after', '\nExamples:\n  mq console                                   # http://127.0.0.1:9325/\n  mq console --port 0 --read-only\n  MQ_ACCESS_KEY=ops MQ_SECRET_KEY=... mq console --host 0.0.0.0')
    .action(async (flags: ConsoleFlags, command: Command) => {
      const session = sessionFor(ctx, command);
      const keys = credentialsFrom(flags, session.io.env);
      checkListenAccess(flags.host, keys, 'mq console');
      const home = resolveHome((command.optsWithGlobals() as { home?: string }).home, session.io.env);
      const signal = session.io.interruptSignal();
      const server = await startConsoleServer({
        backend: session.backend,
        host: flags.host,
        port: flags.port,
        readOnly: flags.readOnly ?? false,
        storeLabel: home,
        ...(keys ? { keys } : {}),
        ...(flags.log ? { log: (entry) => session.io.stderr.write(`${session.out.json ? JSON.stringify({ ...entry, time: new Date(entry.time).toISOString() }) : accessLogLine(entry)}\n`) } : {}),
      });
      session.out.line(server.url);
      session.out.note(`console on ${server.url} over ${home}${flags.readOnly ? ', read-only' : ''}; Ctrl-C stops it`);
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await server.close();
    });
}
