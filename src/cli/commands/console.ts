// mq console: the web console and /metrics over the store, alone on one HTTP address (mq serve serves
// them beside the APIs), until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { type AccessKeyFlags, accessKeysFrom } from '../access-keys.js';
import { type CliContext, resolveHome, sessionFor } from '../context.js';
import { countOption } from '../options/values.js';

export const CONSOLE_DEFAULT_PORT = 9325;

interface ConsoleFlags extends AccessKeyFlags {
  host: string;
  port: number;
  readOnly?: boolean;
  log?: boolean;
}

export function registerConsole(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .summary('web console and Prometheus /metrics over the store, until stopped')
    .description('Serve the web console (queues and streams with live counts, peek, send, purge, redrive, shard maps, consumer lag, live tails) and /metrics (Prometheus text format) over HTTP/1.1 and HTTP/2, the same as mq serve serves beside its APIs. It opens nothing by itself: point a browser at the address it prints on stdout. On a loopback address it needs no credentials (any user of this machine can use it); on any other address it needs --access-key and --secret-key (or --credentials-file, or MQ_ACCESS_KEY and MQ_SECRET_KEY), asked for by a sign-in form or HTTP Basic authentication. --read-only refuses every change. Ctrl-C or SIGTERM stops it (exit 0).')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', countOption(0, 65_535), CONSOLE_DEFAULT_PORT)
    .option('--read-only', 'refuse every change (send, purge, redrive)')
    .option('--access-key <id>', 'access key id that signs in (default: $MQ_ACCESS_KEY)')
    .option('--secret-key <secret>', 'its secret key (visible to ps: prefer $MQ_SECRET_KEY or --credentials-file)')
    .option('--credentials-file <file>', 'lines of "ACCESS_KEY_ID SECRET_ACCESS_KEY" (mode 600)')
    .option('--log', 'one access log line per request on stderr (--json: JSON lines)')
    .addHelpText('after', '\nExamples:\n  mq console                                   # http://127.0.0.1:9325/\n  mq console --port 0 --read-only\n  MQ_ACCESS_KEY=ops MQ_SECRET_KEY=... mq console --host 0.0.0.0')
    .action(async (flags: ConsoleFlags, command: Command) => {
      const session = sessionFor(ctx, command);
      const serve = await import('../../serve/index.js');
      const keys = accessKeysFrom(flags, session.io.env);
      serve.checkListenAccess(flags.host, keys, 'mq console');
      const home = resolveHome((command.optsWithGlobals() as { home?: string }).home, session.io.env);
      // Asked for before the address is printed: whoever reads it may stop the console at once.
      const signal = session.io.interruptSignal();
      const out = session.out;
      const server = await serve.startServer({
        backend: session.backend,
        host: flags.host,
        port: flags.port,
        apis: false,
        authenticator: null,
        storeLabel: home,
        consoleReadOnly: flags.readOnly ?? false,
        ...(keys ? { keys } : {}),
        ...(flags.log ? { log: (entry) => session.io.stderr.write(out.json ? `${JSON.stringify(entry)}\n` : `mq: ${serve.formatAccessLog(entry)}\n`) } : {}),
      });
      out.line(`${server.endpoint}/`);
      out.note(`console on ${server.endpoint}/ over ${home}${flags.readOnly ? ', read-only' : ''}; Ctrl-C stops it`);
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await server.close();
    });
}
