// Code some commands need costs the others nothing. The JetStream backend: dist/mq.cjs holds none of the
// NATS client, a one-shot `mq send` on files never reads dist/mq-jetstream.cjs, and the library's static
// imports never reach the client; a command given a NATS URL does load it (no NATS server needed). mq serve
// and mq console: their code is dist/mq-serve.cjs, read by those commands only.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, runMq } from '../helpers/run-mq.js';
import { startServeProcess } from '../helpers/serve-process.js';
import { tempHome } from '../helpers/tmp-home.js';

const probe = path.resolve('test/fixtures/report-bundles-read.cjs');

// Every module dist/lib/index.js reaches by static imports.
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js')) return;
    const text = fs.readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
      visit(specifier!.startsWith('.') ? path.resolve(path.dirname(file), specifier!) : specifier!);
    }
  };
  visit(path.resolve(entry));
  return seen;
}

describe('loading the JetStream backend', () => {
  it('is not in the CLI bundle, and a one-shot file-store send never reads its bundle', async () => {
    const bundle = fs.readFileSync('dist/mq.cjs', 'utf8');
    expect(bundle).not.toMatch(/\$JS\.API|NatsConnectionImpl|nats-core/);
    expect(fs.readFileSync('dist/mq-jetstream.cjs', 'utf8')).toMatch(/\$JS\.API/);
    const home = tempHome();
    await runMq(['create', 'q'], { home });
    const sent = await runMq(['send', 'q', 'x'], { home, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(sent.exitCode, describeRun(sent)).toBe(0);
    expect(sent.stderr).toBe('bundles: ["mq.cjs"]\n');
  });

  it('is read by a command given a NATS URL (here one nobody listens on: UNAVAILABLE, exit 1)', async () => {
    const home = tempHome();
    const result = await runMq(['--url', 'nats://127.0.0.1:1', 'ls'], { home, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(result.exitCode, describeRun(result)).toBe(1);
    expect(result.stderr).toBe('mq: the NATS cluster at nats://127.0.0.1:1 is unavailable: connection refused (ECONNREFUSED)\nbundles: ["mq.cjs","mq-jetstream.cjs"]\n');
  });

  it('is reached by the library only through the dynamic import a URL makes', () => {
    const graph = [...staticGraph('dist/lib/index.js')];
    expect(graph.some((file) => file.includes('dist/lib/backends.js'))).toBe(true);
    expect(graph.filter((file) => file.startsWith('@nats-io/') || file.includes(`${path.sep}jetstream${path.sep}client.js`))).toEqual([]);
  });
});

describe('loading mq serve and mq console', () => {
  it('is not in the CLI bundle, and only those commands read their bundle', async () => {
    expect(fs.readFileSync('dist/mq.cjs', 'utf8')).not.toMatch(/SendMessageBatch|GetShardIterator|mq_queue_messages/);
    expect(fs.readFileSync('dist/mq-serve.cjs', 'utf8')).toMatch(/SendMessageBatch/);
    const home = tempHome();
    await runMq(['create', 'q'], { home });
    const sent = await runMq(['send', 'q', 'x'], { home, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(sent.stderr).toBe('bundles: ["mq.cjs"]\n');
    const served = await startServeProcess(home, [], { NODE_OPTIONS: `--require ${probe}` });
    expect(await served.stop()).toEqual({ exitCode: 0, stderr: 'bundles: ["mq.cjs","mq-serve.cjs"]\n' });
  });
});
