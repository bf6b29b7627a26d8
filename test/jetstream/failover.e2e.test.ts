// Acceptance scenario 10: the leader of a queue's (then a shard's) stream is killed with SIGKILL a quarter
// of the way through a 20,000-line `mq send` (`mq put`) on a cluster of its own. The command still exits
// 0 with every line acknowledged once; reads during the outage succeed; the restarted node catches up
// (all 20,000 on each of the 3 nodes, by /jsz: on 2.9.10 its /healthz may call an idle R3 consumer
// "not current" for minutes, a server defect, so it is not waited on); the drain returns every printed
// id once; the shard's counters are consecutive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamNames } from '../../src/jetstream/names.js';
import { type NatsCluster, type NatsNode, monitor, startCluster } from '../helpers/nats-cluster.js';
import { describeRun, expectRun, jsonLines, runMq, spawnMq } from '../helpers/run-mq.js';
import { tempHome } from '../helpers/tmp-home.js';
import { freshNamespace } from './fixture.js';

const LINES = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: NatsCluster;
beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

// Messages of a JetStream stream as each running node's /jsz reports them.
async function countsOnNodes(stream: string): Promise<number[]> {
  const counts: number[] = [];
  for (const node of cluster.nodes) {
    const jsz = await monitor(node, '/jsz?streams=true');
    const detail = (jsz?.account_details ?? []).flatMap((a: { stream_detail?: unknown[] }) => a.stream_detail ?? [])
      .find((d: { name: string }) => d.name === stream) as { state: { messages: number } } | undefined;
    counts.push(detail?.state.messages ?? -1);
  }
  return counts;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

// Runs an mq command that reads LINES lines from stdin (fed in pieces, so it runs a while) and kills the
// leader of `stream` once a quarter of the results are printed. Returns the printed lines, the killed
// node, and a read run while it was down.
async function killLeaderDuring(args: string[], env: Record<string, string>, home: string, stream: string, read: string[]) {
  const child = spawnMq(args, { home, env });
  let out = '';
  let triggered = false;
  let killed: NatsNode | null = null;
  let readResult: Awaited<ReturnType<typeof runMq>> | null = null;
  const killing = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!triggered && out.split('\n').length > LINES / 4) {
        triggered = true;
        void (async () => {
          const leader = await cluster.streamLeader(stream);
          if (!leader) return reject(new Error(`no leader found for ${stream}`));
          killed = leader;
          await cluster.kill(leader);
          readResult = await runMq(read, { home, env, timeoutMs: 90_000 });
          resolve();
        })().catch(reject);
      }
    });
  });
  for (let sent = 0; sent < LINES; sent += 500) {
    child.stdin!.write(Array.from({ length: 500 }, (_, i) => `line-${sent + i}`).join('\n') + '\n');
    await sleep(25);
  }
  child.stdin!.end();
  const result = await child;
  await killing;
  return { result, printed: out.trim().split('\n'), killed: killed!, read: readResult! };
}

async function restartAndCatchUp(node: NatsNode, stream: string, expected: number): Promise<void> {
  await cluster.restart(node);
  await waitFor(`${stream} with ${expected} messages on all 3 nodes`, 180_000, async () => {
    const counts = await countsOnNodes(stream);
    return counts.every((c) => c === expected) ? counts : null;
  });
}

describe('failover: SIGKILL of a stream leader during a bulk send and put', () => {
  it('mq send: exit 0, every printed id stored once, reads during the outage, the drain returns each once', async () => {
    const namespace = freshNamespace();
    const env = { MQ_URL: cluster.url, MQ_NAMESPACE: namespace };
    const home = tempHome();
    const stream = new JetStreamNames(namespace).queueStream('jobs');
    expectRun(await runMq(['create', 'jobs'], { home, env }), 0);
    const { result, printed, killed, read } = await killLeaderDuring(['send', 'jobs'], env, home, stream, ['--json', 'stats', 'jobs']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(read.exitCode, describeRun(read)).toBe(0);
    expect(printed).toHaveLength(LINES);
    expect(new Set(printed).size).toBe(LINES);
    await restartAndCatchUp(killed, stream, LINES);
    const drained: string[] = [];
    for (;;) {
      const batch = await runMq(['--json', 'receive', 'jobs', '-n', '10000', '--delete'], { home, env, timeoutMs: 120_000 });
      expect(batch.exitCode, describeRun(batch)).toBe(0);
      const ids = jsonLines<{ id: string }>(batch.stdout).map((m) => m.id);
      if (ids.length === 0) break;
      drained.push(...ids);
    }
    expect(drained).toHaveLength(LINES);
    expect(new Set(drained)).toEqual(new Set(printed));
  }, 600_000);

  it('mq put: exit 0, consecutive counters, no duplicates, every record readable', async () => {
    const namespace = freshNamespace();
    const env = { MQ_URL: cluster.url, MQ_NAMESPACE: namespace };
    const home = tempHome();
    const stream = new JetStreamNames(namespace).shardStream('ev', 0);
    expectRun(await runMq(['create-stream', 'ev'], { home, env }), 0);
    const { result, printed, killed, read } = await killLeaderDuring(['put', 'ev'], env, home, stream, ['tail', 'ev', '-n', '3']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(read.exitCode, describeRun(read)).toBe(0);
    expect(printed).toHaveLength(LINES);
    const counters = printed.map((line) => Number(line.split(' ')[1]!.slice(-20)));
    const firstOff = counters.findIndex((c, i) => c !== i + 1);
    expect(firstOff === -1 ? 'in order' : `line ${firstOff}: ${counters.slice(Math.max(0, firstOff - 3), firstOff + 5).join(',')} ... sorted unique ${new Set(counters).size}, max ${Math.max(...counters)}`).toBe('in order');
    await restartAndCatchUp(killed, stream, LINES);
    const records = jsonLines<{ sequence: string; data: string }>(
      (await runMq(['--json', 'tail', 'ev', '--from', 'trim-horizon'], { home, env, timeoutMs: 120_000 })).stdout,
    );
    expect(records.map((r) => r.data)).toEqual(Array.from({ length: LINES }, (_, i) => `line-${i}`));
  }, 600_000);
});
