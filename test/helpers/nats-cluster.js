// A NATS JetStream cluster of real nats-server processes on loopback, for the JetStream tests and
// benchmarks: ports chosen free at run time, a temporary store per node, ready when every node answers
// /healthz and /jsz names a meta leader, stopped (or killed, and started again) by PID. Plain JavaScript
// so that bench/ (JavaScript) and test/ (TypeScript, see nats-cluster.d.ts) share it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SERVER_PATHS = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

// The nats-server binary: on PATH, else where Debian puts it; null when there is none.
export function findNatsServer(env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  return SERVER_PATHS.find(isExecutable) ?? null;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// A port nobody listens on now (the kernel's choice). Another process may take it before the server
// does: start() then retries with fresh ports.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpGet(port, pathname, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}

// GET a monitoring endpoint of a node as JSON (null when it does not answer).
export async function monitor(node, pathname) {
  const { status, body } = await httpGet(node.monitorPort, pathname);
  if (status !== 200) return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function nodeConfig(node, nodes, options) {
  const routes = nodes.filter((n) => n !== node).map((n) => `nats-route://127.0.0.1:${n.clusterPort}`);
  return [
    `server_name: ${node.name}`,
    `listen: 127.0.0.1:${node.port}`,
    `http: 127.0.0.1:${node.monitorPort}`,
    `max_payload: ${options.maxPayload}`,
    // A client gone quiet (a test process killed) is noticed soon.
    'ping_interval: "5s"',
    'write_deadline: "10s"',
    ...(options.jetstream ? [`jetstream { store_dir: "${node.storeDir}", max_memory_store: 268435456, max_file_store: ${options.maxFileStore} }`] : []),
    ...(options.auth ? [`authorization { user: "${options.auth.user}", password: "${options.auth.password}" }`] : []),
    ...(nodes.length > 1
      ? [`cluster { name: ${options.clusterName}, listen: 127.0.0.1:${node.clusterPort}, routes: [${routes.join(', ')}] }`]
      : []),
    '',
  ].join('\n');
}

class Cluster {
  constructor(dir, server, nodes, options) {
    this.dir = dir;
    this.server = server;
    this.nodes = nodes;
    this.options = options;
  }

  // Client URL of every node, comma-separated (as mq's --url takes it), with the credentials if any.
  get url() {
    const auth = this.options.auth ? `${this.options.auth.user}:${this.options.auth.password}@` : '';
    return this.nodes.map((n) => `nats://${auth}127.0.0.1:${n.port}`).join(',');
  }

  async startNode(node) {
    fs.writeFileSync(node.configFile, nodeConfig(node, this.nodes, this.options));
    const log = fs.openSync(node.logFile, 'a');
    const child = spawn(this.server, ['-c', node.configFile], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    node.child = child;
    node.pid = child.pid;
    node.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  // Every node answers /healthz, and /jsz of each names the same meta leader.
  async isReady(nodes = this.nodes) {
    const leaders = new Set();
    for (const node of nodes) {
      const health = await httpGet(node.monitorPort, '/healthz');
      if (health.status !== 200) return false;
      const jsz = await monitor(node, '/jsz');
      if (!this.options.jetstream) continue;
      if (this.nodes.length > 1) {
        const leader = jsz?.meta_cluster?.leader;
        if (!leader) return false;
        leaders.add(leader);
      } else if (!jsz) {
        return false;
      }
    }
    return leaders.size <= 1;
  }

  async waitReady(deadlineMs = 60_000, nodes = this.nodes) {
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      for (const node of nodes) {
        if (node.child && node.child.exitCode !== null) {
          throw new Error(`nats-server ${node.name} exited (${node.child.exitCode}): ${tail(node.logFile)}`);
        }
      }
      if (await this.isReady(nodes)) return;
      await sleep(100);
    }
    throw new Error(`the NATS cluster in ${this.dir} was not ready within ${deadlineMs} ms: ${this.nodes.map((n) => tail(n.logFile)).join(' | ')}`);
  }

  // The name of the current meta leader, per /jsz of any node.
  async metaLeader() {
    for (const node of this.nodes) {
      if (node.child?.exitCode !== null) continue;
      const leader = (await monitor(node, '/jsz'))?.meta_cluster?.leader;
      if (leader) return leader;
    }
    return null;
  }

  // The node leading JetStream stream `stream` (by /jsz?streams=1 of any node), or null.
  async streamLeader(stream) {
    for (const node of this.nodes) {
      if (node.child?.exitCode !== null) continue;
      const jsz = await monitor(node, '/jsz?streams=true');
      for (const account of jsz?.account_details ?? []) {
        for (const detail of account.stream_detail ?? []) {
          if (detail.name === stream && detail.cluster?.leader) return this.nodes.find((n) => n.name === detail.cluster.leader) ?? null;
        }
      }
    }
    return null;
  }

  // Stops a node with SIGKILL (no goodbye to the cluster), by its PID.
  async kill(node) {
    if (!node.child || node.child.exitCode !== null || node.child.signalCode !== null) return;
    process.kill(node.pid, 'SIGKILL');
    await node.exited;
  }

  // Starts a node that was stopped, on the same ports and store.
  async restart(node) {
    await this.startNode(node);
  }

  async stopNode(node) {
    if (!node.child || node.child.exitCode !== null || node.child.signalCode !== null) return;
    process.kill(node.pid, 'SIGTERM');
    const stopped = await Promise.race([node.exited, sleep(10_000).then(() => null)]);
    if (!stopped) {
      process.kill(node.pid, 'SIGKILL');
      await node.exited;
    }
  }

  async stop() {
    await Promise.all(this.nodes.map((node) => this.stopNode(node)));
    if (!this.options.keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' / ');
  } catch {
    return '(no log)';
  }
}

// Starts `nodes` nats-server processes (3 make a cluster, 1 a single server) and waits until they are ready.
export async function startCluster(options = {}) {
  const server = options.server ?? findNatsServer();
  if (!server) throw new Error('nats-server not found (on PATH or in /usr/sbin): apt-get install -y nats-server');
  const settings = {
    nodes: options.nodes ?? 3,
    maxPayload: options.maxPayload ?? 2 * 1024 * 1024,
    maxFileStore: options.maxFileStore ?? 4 * 1024 * 1024 * 1024,
    clusterName: options.clusterName ?? 'mqtest',
    keep: options.keep ?? false,
    jetstream: options.jetstream ?? true,
    auth: options.auth ?? null,
  };
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'mq-nats-'));
    const nodes = [];
    for (let i = 1; i <= settings.nodes; i++) {
      const node = {
        name: `n${i}`,
        port: await freePort(),
        monitorPort: await freePort(),
        clusterPort: await freePort(),
        storeDir: path.join(dir, `n${i}`, 'store'),
        configFile: path.join(dir, `n${i}.conf`),
        logFile: path.join(dir, `n${i}.log`),
      };
      fs.mkdirSync(node.storeDir, { recursive: true });
      nodes.push(node);
    }
    const cluster = new Cluster(dir, server, nodes, settings);
    try {
      for (const node of nodes) await cluster.startNode(node);
      await cluster.waitReady(options.readyTimeoutMs ?? 60_000);
      return cluster;
    } catch (error) {
      const portTaken = nodes.some((n) => /address already in use/i.test(tail(n.logFile)));
      await cluster.stop();
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}
