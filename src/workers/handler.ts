// What the workers run for each message (mq work) or batch of records (mq consume): a handler, any async
// function, that says how it went. The library runs callbacks only; running a command per message (a
// child process, its process group, its output on the terminal, MQ_* in its environment) is the CLI's
// handler (src/cli/work/handler-process.ts), so the library loads no child_process and touches no process.

export type HandlerOutcome =
  // Handled: the message is acked, the batch checkpointed.
  | { ok: true }
  // Not handled: the message is given back for a retry, the batch runs again. `reason` says why, for
  // diagnostics ("handler exited with status 3"). `fatal`: no message can succeed (the command does not
  // exist), so the worker stops, giving back what it holds.
  | { ok: false; reason: string; fatal?: boolean; cause?: unknown };

// Why a worker stopped on a fatal outcome.
export interface FatalHandlerError {
  reason: string;
  cause?: unknown;
}

// The outcome of one handler call; a handler that throws has failed (its message or batch is retried),
// as one that says so.
export async function outcomeOf(call: () => Promise<HandlerOutcome>): Promise<HandlerOutcome> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, reason: `handler threw: ${(error as Error)?.message ?? String(error)}`, cause: error };
  }
}
