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

export function registerQueueCommands(program: Command, ctx: CliContext): void {
  for (const register of [
    registerCreate, registerSend, registerReceive, registerAck, registerNack, registerExtend, registerWork, registerPeek,
    registerStats, registerTop, registerLs, registerSet, registerRedrive, registerPurge, registerRm, registerCompletion,
  ]) {
    register(program, ctx);
  }
}
