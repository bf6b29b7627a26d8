// Types of nats-cluster.js (shared with the JavaScript benchmarks).
import type { ChildProcess } from 'node:child_process';

export interface NatsNode {
  name: string;
  port: number;
  monitorPort: number;
  clusterPort: number;
  storeDir: string;
  configFile: string;
  logFile: string;
  pid?: number;
  child?: ChildProcess;
  exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface NatsCluster {
  readonly dir: string;
  readonly nodes: NatsNode[];
  readonly url: string;
  waitReady(deadlineMs?: number, nodes?: NatsNode[]): Promise<void>;
  isReady(nodes?: NatsNode[]): Promise<boolean>;
  metaLeader(): Promise<string | null>;
  streamLeader(stream: string): Promise<NatsNode | null>;
  kill(node: NatsNode): Promise<void>;
  restart(node: NatsNode): Promise<void>;
  stopNode(node: NatsNode): Promise<void>;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  server?: string;
  nodes?: number;
  maxPayload?: number;
  maxFileStore?: number;
  clusterName?: string;
  keep?: boolean;
  tmpRoot?: string;
  readyTimeoutMs?: number;
  // false: a server without JetStream.
  jetstream?: boolean;
  // Clients must give these (the URL then carries them).
  auth?: { user: string; password: string } | null;
}

export function findNatsServer(env?: NodeJS.ProcessEnv): string | null;
export function freePort(): Promise<number>;
export function monitor(node: NatsNode, pathname: string): Promise<any>;
export function startCluster(options?: StartClusterOptions): Promise<NatsCluster>;
