// What a crash-state scenario is: a store set up without tracing (taken as on disk), a short script of
// mq commands run under strace, and a check of one crash state against what the commands had printed
// (and whether they had finished) at the cut.
import type { Durability } from '../../src/core/durability.js';
import type { Promised } from '../model/build.js';
import type { MqRunner } from '../run/recover.js';

export interface TracedCommand {
  // mq's arguments.
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  // For commands that run until stopped: polled while it runs; true sends it SIGTERM.
  stopWhen?: () => boolean;
}

// What a traced command did in the real run (complete, no cut).
export interface CommandRun {
  command: TracedCommand;
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export interface StateCheck {
  // The store of the crash state.
  home: string;
  // Runs mq commands on it (recovery).
  mq: MqRunner;
  // What the traced commands had printed and whether they had ended, at the cut.
  promised: Promised;
  // The full runs, for what each command would have printed.
  runs: CommandRun[];
  durability: Durability;
  // Records a broken promise (one line each).
  violation(message: string): void;
  // Counts an outcome the Guarantees allow but that is worth reporting (an undone ack, a lost unsynced send).
  note(what: string): void;
}

export interface Plan {
  // Run in order; a function gets the runs so far (to ack receipts printed by an earlier command).
  commands: (TracedCommand | ((runs: CommandRun[]) => TracedCommand))[];
  check(state: StateCheck): Promise<void>;
}

export interface Scenario {
  name: string;
  // One line for the report: what is traced.
  what: string;
  durabilities: Durability[];
  // Sets up the store at `home` (untraced) and returns the plan. `work` is a scratch directory outside the store.
  prepare(home: string, durability: Durability, work: string): Promise<Plan>;
}
