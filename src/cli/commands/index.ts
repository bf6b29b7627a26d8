// Registers every command, in the order `mq --help` lists them.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerCreate, registerPurge, registerRm, registerSet } from './queue-admin.js';
import { registerLs, registerPeek, registerStats } from './queue-inspect.js';
import { registerSend } from './send.js';
import { registerReceive } from './receive.js';
import { registerAck, registerExtend, registerNack } from './ack.js';
import { registerRedrive } from './redrive.js';
import { registerWork } from './work.js';
import { registerTop } from './top.js';
import { registerCompletion } from './completion.js';
import { registerCreateStream, registerRetention, registerRmStream } from './stream-admin.js';
import { registerPut } from './stream-put.js';
import { registerTail } from './stream-tail.js';
import { registerReplay } from './stream-replay.js';
import { registerShards } from './stream-shards.js';
import { registerGroups } from './stream-groups.js';
import { registerMerge, registerReshard, registerSplit } from './stream-reshard.js';
import { registerConsume } from './stream-consume.js';

// Queue commands, then stream commands, then the views and helpers that span both.
export function registerCommands(program: Command, ctx: CliContext): void {
  for (const register of [
    registerCreate, registerSend, registerReceive, registerAck, registerNack, registerExtend, registerWork, registerPeek,
    registerStats, registerLs, registerSet, registerRedrive, registerPurge, registerRm,
    registerCreateStream, registerPut, registerTail, registerReplay, registerShards, registerSplit, registerMerge,
    registerReshard, registerConsume, registerGroups, registerRetention, registerRmStream,
    registerTop, registerCompletion,
  ]) {
    register(program, ctx);
  }
}
