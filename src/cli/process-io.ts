// The real process as an Io, and the entry bin/mq.js calls. The only module that touches process globals.
import { main } from './main.js';
import type { Io } from './io.js';

// A reader that goes away (`mq receive q | head -1`) is not an error of ours.
function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
}

function processIo(): Io {
  let controller: AbortController | undefined;
  let stdout: NodeJS.WriteStream | undefined;
  return {
    // Getters: touching process.stdin or process.stdout builds a stream (and, for a pipe, loads net and
    // tty), which commands that read or print nothing (ack, create, ...) never need.
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      if (!stdout) {
        stdout = process.stdout;
        stdout.on('error', onStdoutError);
      }
      return stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    interruptSignal() {
      if (!controller) {
        const abort = new AbortController();
        controller = abort;
        for (const name of ['SIGINT', 'SIGTERM'] as const) {
          process.once(name, () => {
            abort.abort(name);
            // A second one means "now": with no listener left, the default action ends the process.
            process.once(name, () => process.kill(process.pid, name));
          });
        }
      }
      return controller.signal;
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  // Everything mq creates is private to its user, whatever the umask (modes are also set explicitly).
  process.umask(0o077);
  return main(argv, processIo());
}
