// Every command, by name, in the order `mq --help` lists them: queue commands, then stream commands,
// then the views and helpers that span both. Each is imported on demand: a process runs one command, so
// it evaluates only that command's code (start-up is most of the cost of a one-message send).
// test/cli/commands.test.ts checks each name against what registers.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

type Register = (program: Command, ctx: CliContext) => void;

export const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ['create', () => import('./queue-admin.js').then((m) => m.registerCreate)],
  ['send', () => import('./send.js').then((m) => m.registerSend)],
  ['receive', () => import('./receive.js').then((m) => m.registerReceive)],
  ['ack', () => import('./ack.js').then((m) => m.registerAck)],
  ['nack', () => import('./ack.js').then((m) => m.registerNack)],
  ['extend', () => import('./ack.js').then((m) => m.registerExtend)],
  ['work', () => import('./work.js').then((m) => m.registerWork)],
  ['peek', () => import('./queue-inspect.js').then((m) => m.registerPeek)],
  ['stats', () => import('./queue-inspect.js').then((m) => m.registerStats)],
  ['ls', () => import('./queue-inspect.js').then((m) => m.registerLs)],
  ['set', () => import('./queue-admin.js').then((m) => m.registerSet)],
  ['redrive', () => import('./redrive.js').then((m) => m.registerRedrive)],
  ['purge', () => import('./queue-admin.js').then((m) => m.registerPurge)],
  ['rm', () => import('./queue-admin.js').then((m) => m.registerRm)],
  ['create-stream', () => import('./stream-admin.js').then((m) => m.registerCreateStream)],
  ['put', () => import('./stream-put.js').then((m) => m.registerPut)],
  ['tail', () => import('./stream-tail.js').then((m) => m.registerTail)],
  ['replay', () => import('./stream-replay.js').then((m) => m.registerReplay)],
  ['shards', () => import('./stream-shards.js').then((m) => m.registerShards)],
  ['split', () => import('./stream-reshard.js').then((m) => m.registerSplit)],
  ['merge', () => import('./stream-reshard.js').then((m) => m.registerMerge)],
  ['reshard', () => import('./stream-reshard.js').then((m) => m.registerReshard)],
  ['consume', () => import('./stream-consume.js').then((m) => m.registerConsume)],
  ['groups', () => import('./stream-groups.js').then((m) => m.registerGroups)],
  ['retention', () => import('./stream-admin.js').then((m) => m.registerRetention)],
  ['rm-stream', () => import('./stream-admin.js').then((m) => m.registerRmStream)],
  ['top', () => import('./top.js').then((m) => m.registerTop)],
  ['serve', () => import('./serve.js').then((m) => m.registerServe)],
  ['console', () => import('./console.js').then((m) => m.registerConsole)],
  ['completion', () => import('./completion.js').then((m) => m.registerCompletion)],
];

// Registers the command named `only` when it is one, else every command (for help, suggestions and
// `completion`, whose scripts walk the whole tree). The hidden `__complete`, run by those scripts on every
// Tab press, lists names from the store and needs only its own module.
export async function registerCommands(program: Command, ctx: CliContext, only?: string): Promise<void> {
  const wanted = only === '__complete' ? 'completion' : only;
  const one = COMMANDS.find(([name]) => name === wanted && (name !== 'completion' || only === '__complete'));
  const registers = await Promise.all((one ? [one] : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
}
