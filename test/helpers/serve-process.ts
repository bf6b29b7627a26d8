// `mq serve` as a separate process (the built binary), on an ephemeral port: started, its endpoint read
// from its first stdout line, and stopped by its PID after the test.
import { afterEach } from 'vitest';
import type { ResultPromise } from 'execa';
import { spawnMq } from './run-mq.js';

export interface ServeProcess {
  endpoint: string;
  child: ResultPromise;
  stderr(): string;
  // Sends SIGTERM and waits for the exit.
  stop(): Promise<{ exitCode: number | undefined; stderr: string }>;
}

const children: ResultPromise[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    await child.catch(() => {});
  }
});

export async function startServeProcess(home: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawnMq(['serve', '--port', '0', ...args], { home, env });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mq serve printed no endpoint within 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split('\n')[0]!;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(line.startsWith('{') ? (JSON.parse(line) as { endpoint: string }).endpoint : line);
      }
    });
    child.catch(() => {}).then(() => reject(new Error(`mq serve exited: ${stderr}`)));
  });
  return {
    endpoint,
    child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const result = await child;
      return { exitCode: result.exitCode, stderr };
    },
  };
}
