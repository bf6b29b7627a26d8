// mq serve: the SQS and Kinesis APIs over the store, for AWS SDKs and the AWS CLI. Its code is loaded
// only here (src/serve), so other commands start as fast as before.
import type { Command } from 'commander';
import { readSecretFile } from '../../backends.js';
import { MqError } from '../../core/errors.js';
import { type CliContext, sessionFor } from '../context.js';
import { countOption, sizeOption } from '../options.js';

interface ServeFlags {
  host: string;
  port: number;
  log?: boolean;
  accessKey?: string;
  secretKey?: string;
  credentialsFile?: string;
  maxBody?: number;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('serve the SQS and Kinesis APIs over the store, for AWS SDKs and the AWS CLI')
    .description(
      'Answer the SQS API (JSON and query protocols) and the Kinesis API (JSON and CBOR) on one port, over HTTP/1.1 and HTTP/2, ' +
        'on the same queues and streams the other commands use. Prints the endpoint on stdout once listening. ' +
        'On a loopback address (the default) any credentials are accepted, as local emulators do. Any other address needs ' +
        '--access-key and --secret-key (or --credentials-file), and then every request must be signed with them (AWS Signature Version 4). ' +
        'SIGTERM or SIGINT stops it: no new connections, long polls answer at once, requests in flight finish, exit 0.',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', countOption(0, 65535), 9324)
    .option('--log', 'print one access-log line per request on stderr (--json: JSON lines)')
    .option('--access-key <id>', 'the access key id clients sign with (required off loopback)')
    .option('--secret-key <secret>', 'its secret access key (visible to ps: prefer --credentials-file)')
    .option('--credentials-file <file>', 'lines of "ACCESS_KEY_ID SECRET_ACCESS_KEY" (mode 600)')
    .option('--max-body <size>', 'largest request body accepted (default 16MiB)', sizeOption)
    .addHelpText('after', `
Examples:
  mq serve                                   # http://127.0.0.1:9324, any credentials
  aws --endpoint-url http://127.0.0.1:9324 sqs send-message --queue-url http://127.0.0.1:9324/000000000000/jobs --message-body hi
  mq serve --host 0.0.0.0 --credentials-file ~/.config/mq/keys --log`)
    .action(async (flags: ServeFlags, command: Command) => {
      const session = sessionFor(ctx, command);
      const serve = await import('../../serve/index.js');
      let secrets: Map<string, string> | null = null;
      if (flags.credentialsFile) secrets = serve.parseCredentials(readSecretFile(flags.credentialsFile), flags.credentialsFile);
      if (flags.accessKey !== undefined || flags.secretKey !== undefined) {
        if (!flags.accessKey || !flags.secretKey) throw new MqError('INVALID_ARGUMENT', '--access-key and --secret-key go together');
        secrets ??= new Map();
        secrets.set(flags.accessKey, flags.secretKey);
      }
      serve.checkListenAccess(flags.host, secrets ?? undefined, 'mq serve');
      const out = session.out;
      const server = await serve.startServer({
        backend: session.backend,
        host: flags.host,
        port: flags.port,
        authenticator: secrets ? serve.sigV4Authenticator(secrets) : null,
        ...(flags.maxBody !== undefined ? { maxBodyBytes: flags.maxBody } : {}),
        ...(flags.log ? { log: (entry) => ctx.io.stderr.write(out.json ? `${JSON.stringify(entry)}\n` : `mq: ${formatAccessLog(entry)}\n`) } : {}),
      });
      if (out.json) out.record({ endpoint: server.endpoint, host: server.host, port: server.port });
      else out.line(server.endpoint);
      const signal = ctx.io.interruptSignal();
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await server.close();
    });
}

function formatAccessLog(entry: import('../../serve/index.js').AccessLogEntry): string {
  const error = entry.error ? ` ${entry.error}` : '';
  return `${entry.time} ${entry.remote} HTTP/${entry.http} ${entry.service} ${entry.action} ${entry.protocol} ${entry.status} ${entry.ms}ms ${entry.bytesIn}B>${entry.bytesOut}B${error}`;
}
