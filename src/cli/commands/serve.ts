// mq serve: the SQS and Kinesis APIs over the store, for AWS SDKs and the AWS CLI. Its code is loaded
// only here (src/serve), so other commands start as fast as before.
import type { Command } from 'commander';
import { type AccessKeyFlags, accessKeysFrom } from '../access-keys.js';
import { type CliContext, resolveHome, sessionFor } from '../context.js';
import { countOption, sizeOption } from '../options/values.js';

interface ServeFlags extends AccessKeyFlags {
  host: string;
  port: number;
  log?: boolean;
  maxBody?: number;
  consoleReadOnly?: boolean;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('serve the SQS and Kinesis APIs over the store, for AWS SDKs and the AWS CLI')
    .description(
      'Answer the SQS API (JSON and query protocols) and the Kinesis API (JSON and CBOR) on one port, over HTTP/1.1 and HTTP/2, ' +
        'on the same queues and streams the other commands use. Prints the endpoint on stdout once listening. ' +
        'On a loopback address (the default) any credentials are accepted, as local emulators do (but requests from web pages of other origins are refused). Any other address needs ' +
        '--access-key and --secret-key (or --credentials-file, or MQ_ACCESS_KEY and MQ_SECRET_KEY), and then every request must be signed with them (AWS Signature Version 4). ' +
        'The same port serves the web console at / and Prometheus metrics at /metrics (see mq console), which then ask for the same keys. ' +
        'SIGTERM or SIGINT stops it: no new connections, long polls answer at once, requests in flight finish, exit 0.',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', countOption(0, 65535), 9324)
    .option('--log', 'print one access-log line per request on stderr (--json: JSON lines)')
    .option('--access-key <id>', 'the access key id clients sign with, required off loopback (default: $MQ_ACCESS_KEY)')
    .option('--secret-key <secret>', 'its secret access key (default: $MQ_SECRET_KEY, which keeps it out of ps)')
    .option('--credentials-file <file>', 'lines of "ACCESS_KEY_ID SECRET_ACCESS_KEY" (mode 600)')
    .option('--max-body <size>', 'largest request body accepted (default 16MiB)', sizeOption)
    .option('--console-read-only', 'the web console refuses every change (send, purge, redrive); the APIs are not affected')
    .addHelpText('after', `
Examples:
  mq serve                                   # http://127.0.0.1:9324, any credentials
  aws --endpoint-url http://127.0.0.1:9324 sqs send-message --queue-url http://127.0.0.1:9324/000000000000/jobs --message-body hi
  mq serve --host 0.0.0.0 --credentials-file ~/.config/mq/keys --log`)
    .action(async (flags: ServeFlags, command: Command) => {
      const session = sessionFor(ctx, command);
      const serve = await import('../../serve/index.js');
      const keys = accessKeysFrom(flags, ctx.io.env);
      serve.checkListenAccess(flags.host, keys, 'mq serve');
      // Asked for before the endpoint is printed: whoever reads it may stop the server at once.
      const signal = ctx.io.interruptSignal();
      const out = session.out;
      const server = await serve.startServer({
        backend: session.backend,
        host: flags.host,
        port: flags.port,
        authenticator: keys ? serve.sigV4Authenticator(new Map(keys)) : null,
        storeLabel: resolveHome((command.optsWithGlobals() as { home?: string }).home, ctx.io.env),
        ...(keys ? { keys } : {}),
        ...(flags.consoleReadOnly ? { consoleReadOnly: true } : {}),
        ...(flags.maxBody !== undefined ? { maxBodyBytes: flags.maxBody } : {}),
        ...(flags.log ? { log: (entry) => ctx.io.stderr.write(out.json ? `${JSON.stringify(entry)}\n` : `mq: ${serve.formatAccessLog(entry)}\n`) } : {}),
      });
      if (out.json) out.record({ endpoint: server.endpoint, host: server.host, port: server.port });
      else out.line(server.endpoint);
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await server.close();
    });
}
