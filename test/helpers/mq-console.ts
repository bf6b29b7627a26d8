// Runs the built `mq console` as its own process on an ephemeral port of 127.0.0.1 and waits for the
// address it prints; stopped by its PID.
import type { ResultPromise } from 'execa';
import { spawnMq } from './run-mq.js';

export interface ConsoleProcess {
  url: string;
  process: ResultPromise;
  // Everything it printed on stderr so far.
  stderr(): string;
  // SIGTERM, then its exit status.
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export async function startMqConsole(home: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ConsoleProcess> {
  const child = spawnMq(['console', '--port', '0', ...args], { home, env });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mq console printed no address within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    // The address on stdout, and the note on stderr that follows it.
    const check = () => {
      const line = /^(http:\/\/\S+)\n/.exec(stdout);
      if (line && stderr.includes('\n')) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`mq console exited with ${result.exitCode} before printing its address; stderr: ${stderr}`));
    });
  });
  return {
    url,
    process: child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, signal);
      return (await child).exitCode ?? -1;
    },
  };
}
